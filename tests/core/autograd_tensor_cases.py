"""Tensor programs for the autograd table: matrices, ``@``, softmax, losses, broadcasting.

Registered into :data:`tests.core.autograd_cases.CASES` like the scalar ones; each
``build`` does the same torch operations in the same order, written the way a learner's
PyTorch code would (``W @ x``, ``F.cross_entropy``), independently of the core's table.
Class labels are made with ``torch.tensor(..., dtype=torch.long)``, which is not an
operation of the program.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import exp, log, mean, relu, sigmoid, tanh

from tests.core.autograd_cases import case


def labels(t: torch.Tensor) -> torch.Tensor:
    """Class labels from a leaf holding whole numbers."""
    return torch.tensor(t.tolist(), dtype=torch.long)


@case("""
    W = [[0.5, -1.0, 2.0], [2.0, 0.25, 1.0]]
    x = [1.0, 2.0, 3.0]
    b = [0.1, -0.2]
    y = W @ x + b
    loss = sum(y * y)
    """)
def matrix_times_vector_plus_bias(W, x, b):
    y = W @ x + b
    return {"y": y, "loss": torch.sum(y * y)}


@case("""
    A = [[1.0, 2.0, 0.5], [-1.0, 0.5, 3.0]]
    B = [[0.5, 1.0], [2.0, -1.0], [0.25, 0.75]]
    C = A @ B
    loss = mean(C ** 2)
    """)
def matrix_times_matrix(A, B):
    C = A @ B
    return {"C": C, "loss": mean(C**2)}


@case("a = [1.0, -2.0, 3.0]\nb = [0.5, 0.25, -1.0]\nloss = a @ b")
def vector_dot_vector(a, b):
    return {"loss": a @ b}


@case("""
    x = [1.0, -1.0]
    W = [[0.5, 1.0, -0.5], [2.0, 0.0, 1.5]]
    y = x @ W
    loss = sum(tanh(y))
    """)
def vector_times_matrix(x, W):
    y = x @ W
    return {"y": y, "loss": torch.sum(tanh(y))}


@case("""
    A = [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]
    B = [[0.5, -1.0, 2.0], [1.0, 0.0, -0.5]]
    T = transpose(A)
    loss = sum(T * B)
    """)
def transpose_times_matrix_element_wise(A, B):
    T = A.T
    return {"T": T, "loss": torch.sum(T * B)}


@case("""
    z = [2.0, 1.0, 0.1]
    w = [1.0, -2.0, 0.5]
    p = softmax(z)
    loss = sum(p * w)
    """)
def softmax_of_a_vector(z, w):
    p = F.softmax(z, dim=-1)
    return {"p": p, "loss": torch.sum(p * w)}


@case("""
    Z = [[1.0, 2.0, 3.0], [0.5, -0.5, 0.0]]
    T = [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]
    P = softmax(Z)
    loss = -sum(T * log(P)) / 2
    """, ("Z",))
def softmax_of_each_row(Z, T):
    P = F.softmax(Z, dim=-1)
    return {"P": P, "loss": -torch.sum(T * log(P)) / 2}


@case("""
    z = [0.3, -1.2, 2.0]
    Z = [[1.0, 0.0], [0.0, 3.0]]
    a = log_softmax(z)
    B = log_softmax(Z)
    loss = sum(a * z) + mean(B)
    """)
def log_softmax_of_a_vector_and_a_matrix(z, Z):
    a = F.log_softmax(z, dim=-1)
    B = F.log_softmax(Z, dim=-1)
    return {"a": a, "B": B, "loss": torch.sum(a * z) + mean(B)}


@case("z = [2.0, 1.0, 0.1]\nloss = cross_entropy(z, 0)")
def cross_entropy_of_one_example(z):
    return {"loss": F.cross_entropy(z, torch.tensor(0))}


@case("""
    Z = [[2.0, 1.0, 0.1], [0.5, 2.5, -1.0], [0.0, 0.0, 0.0], [1.0, -1.0, 3.0]]
    loss = cross_entropy(Z, [0, 1, 2, 2])
    """)
def cross_entropy_of_a_batch(Z):
    return {"loss": F.cross_entropy(Z, torch.tensor([0, 1, 2, 2]))}


@case("""
    X = [[1.0, 2.0], [0.5, -1.0], [-2.0, 0.0]]
    W = [[0.1, 0.2], [-0.3, 0.4], [0.5, -0.6]]
    y = [2, 0, 1]
    Z = X @ transpose(W)
    loss = cross_entropy(Z, y)
    """)
def cross_entropy_with_labels_from_a_value(X, W, y):
    Z = X @ W.T
    return {"Z": Z, "loss": F.cross_entropy(Z, labels(y))}


@case("""
    x = [1.0, -2.0, 0.5]
    w = [0.8, 0.3, -0.5]
    b = 0.1
    y = 1.0
    p = sigmoid(w @ x + b)
    loss = bce(p, y)
    """, ("w", "b", "x"))
def single_neuron_with_bce(x, w, b, y):
    p = sigmoid(w @ x + b)
    return {"p": p, "loss": F.binary_cross_entropy(p, y)}


@case("""
    x = [1.0, -2.0, 0.5, 3.0]
    t = [0.25, 0.5, 0.75, 0.5]
    w = 0.8
    p = sigmoid(w * x)
    loss = bce(p, t)
    """, ("w", "t"))
def bce_of_a_vector_with_a_target_gradient(x, t, w):  # t moves: in (0, 1) for 3 steps
    p = sigmoid(w * x)
    return {"p": p, "loss": F.binary_cross_entropy(p, t)}


@case("""
    X = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    a = sum(X, 0)
    b = sum(X, 1)
    c = mean(X, 0)
    d = mean(X, -1)
    loss = sum(a * a) + sum(b) + sum(c) + mean(d ** 2)
    """)
def sums_and_means_over_one_dimension(X):
    a, b = torch.sum(X, 0), torch.sum(X, 1)
    c, d = mean(X, 0), mean(X, -1)
    loss = torch.sum(a * a) + torch.sum(b) + torch.sum(c) + mean(d**2)
    return {"a": a, "b": b, "c": c, "d": d, "loss": loss}


@case("""
    X = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    b = [0.5, -0.5, 1.0]
    s = 2.0
    Y = X * s + b
    loss = sum(Y / s - X)
    """)
def matrix_with_a_broadcast_row_and_a_number(X, b, s):
    Y = X * s + b
    return {"Y": Y, "loss": torch.sum(Y / s - X)}


@case("""
    c = [[1.0], [2.0]]
    r = [[0.5, -1.0, 2.0]]
    M = c * r + c
    loss = sum(M ** 2)
    """)
def column_times_row_broadcasts_to_a_matrix(c, r):
    M = c * r + c
    return {"M": M, "loss": torch.sum(M**2)}


@case("""
    X = [[0.5, -1.0], [2.0, 0.25]]
    loss = sum(exp(X) + tanh(X) + sigmoid(X) + relu(X) + abs(X) + sqrt(X * X) + log(X * X))
    """)
def every_function_on_a_matrix(X):
    total = exp(X) + tanh(X) + sigmoid(X) + relu(X) + torch.abs(X) + torch.sqrt(X * X) \
        + log(X * X)
    return {"loss": torch.sum(total)}


@case("""
    W = [[0.5, -1.0], [2.0, 0.25]]
    x = [1.0, 2.0]
    u = [-1.0, 0.5]
    y = W @ x + W @ u
    loss = sum(y * y) + sum(W @ W)
    """)
def one_matrix_reused_in_three_products(W, x, u):
    y = W @ x + W @ u
    return {"y": y, "loss": torch.sum(y * y) + torch.sum(W @ W)}


@case("""
    X = [[1.0, 2.0, 3.0], [0.0, -1.0, 1.0], [2.0, 2.0, -2.0], [0.5, 0.5, 0.5]]
    t = [1.0, 0.0, 2.0, 1.5]
    w = [0.1, 0.2, -0.1]
    b = 0.5
    y_hat = X @ w + b
    J = mean((y_hat - t) ** 2)
    """, ("w", "b"))
def linear_regression_on_a_batch(X, t, w, b):
    y_hat = X @ w + b
    return {"y_hat": y_hat, "J": mean((y_hat - t) ** 2)}


@case("""
    x = [1.0, -0.5, 2.0]
    W1 = [[0.2, -0.4, 0.6], [0.5, 0.1, -0.3]]
    b1 = [0.0, 0.1]
    W2 = [[1.0, -1.0], [0.5, 0.5], [-0.2, 0.3]]
    b2 = [0.1, 0.0, -0.1]
    h = tanh(W1 @ x + b1)
    z = W2 @ h + b2
    loss = cross_entropy(z, 2)
    """, ("W1", "b1", "W2", "b2"))
def two_layer_network_on_one_example(x, W1, b1, W2, b2):
    h = tanh(W1 @ x + b1)
    z = W2 @ h + b2
    return {"h": h, "z": z, "loss": F.cross_entropy(z, torch.tensor(2))}


@case("""
    X = [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]
    W1 = [[0.5, -0.5], [1.0, 1.0]]
    b1 = [0.1, -0.1]
    W2 = [[1.0, -1.0], [0.5, 2.0]]
    H = relu(X @ W1 + b1)
    Z = H @ W2
    loss = cross_entropy(Z, [0, 1, 1])
    """, ("W1", "b1", "W2"))
def two_layer_network_on_a_batch(X, W1, b1, W2):
    H = relu(X @ W1 + b1)
    Z = H @ W2
    return {"H": H, "Z": Z, "loss": F.cross_entropy(Z, torch.tensor([0, 1, 1]))}


@case("""
    Z = [[1.0, 2.0], [3.0, -1.0]]
    P = softmax(Z)
    L = log_softmax(Z)
    loss = -mean(P * L) + sum(transpose(P) @ L)
    """)
def softmax_and_log_softmax_of_one_matrix(Z):
    P = F.softmax(Z, dim=-1)
    L = F.log_softmax(Z, dim=-1)
    return {"P": P, "L": L, "loss": -mean(P * L) + torch.sum(P.T @ L)}


@case("""
    X = [[2.0, 4.0], [1.0, 0.5]]
    v = [2.0, 0.5]
    Q = X / v - v / X + X ** 2 + 2 ** X
    loss = sum(-Q)
    """)
def matrix_division_and_powers_with_a_broadcast_vector(X, v):
    Q = X / v - v / X + X**2 + 2**X
    return {"Q": Q, "loss": torch.sum(-Q)}
