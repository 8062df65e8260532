"""Class colours and the decision boundary's image, in plain numpy (cheap, no torch).

The hues are Okabe and Ito's colour-blind-safe palette (blue, orange, bluish green,
then vermillion, reddish purple, yellow, sky blue, black/white), in a darker or a
lighter shade for a light or a dark background; each class also has its own marker
shape, so the classes differ by more than their colour.

The boundary image colours each grid cell by the model's probabilities: the classes'
colours mixed by probability, faded towards the background as the model grows unsure
(all classes equally likely: the background itself). For two classes that is a
diverging map around p = 0.5.
"""

from __future__ import annotations

import numpy as np

LIGHT_CLASSES = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9",
                 "#000000", "#f0e442", "#888888", "#6a3d9a")
DARK_CLASSES = ("#56b4e9", "#e69f00", "#2fd0a0", "#cc79a7", "#f0e442", "#0072b2",
                "#ffffff", "#d55e00", "#aaaaaa", "#b28adf")
SYMBOLS = ("o", "s", "t", "d", "star", "p", "h", "t1", "+", "x")
BOUNDARY_STRENGTH = 0.55  # the most a sure region takes of its class's colour


def class_colours(dark: bool) -> tuple[str, ...]:
    """The colours of classes 0, 1, 2, … on a dark or a light background."""
    return DARK_CLASSES if dark else LIGHT_CLASSES


def class_symbol(label: int) -> str:
    """The marker shape of class ``label`` (a pyqtgraph symbol name)."""
    return SYMBOLS[label % len(SYMBOLS)]


def rgb(colour: str) -> np.ndarray:
    """``#rrggbb`` as three floats from 0 to 255."""
    colour = colour.lstrip("#")
    return np.array([int(colour[i:i + 2], 16) for i in (0, 2, 4)], dtype=float)


def boundary_image(probabilities: np.ndarray, colours: tuple[str, ...],
                   background: str) -> np.ndarray:
    """An RGBA image (``ny × nx × 4``, uint8) of ``probabilities`` (``ny × nx × classes``).

    Each cell mixes the classes' colours by probability and fades that towards the
    background by how sure the model is there: ``(max p - 1/C) / (1 - 1/C)``.
    """
    p = np.nan_to_num(np.asarray(probabilities, dtype=float), nan=0.0)
    classes = p.shape[-1]
    palette = np.stack([rgb(colours[c % len(colours)]) for c in range(classes)])
    mixed = p @ palette  # ny × nx × 3
    chance = 1.0 / classes
    sure = np.clip((p.max(axis=-1) - chance) / (1.0 - chance), 0.0, 1.0)[..., None]
    base = rgb(background)
    image = base + (mixed - base) * (BOUNDARY_STRENGTH * sure)
    out = np.empty((*p.shape[:2], 4), dtype=np.uint8)
    out[..., :3] = np.clip(np.rint(image), 0, 255)
    out[..., 3] = 255
    return out
