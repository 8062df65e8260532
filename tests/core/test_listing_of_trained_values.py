"""When the walkthrough shows a training run's values, its listing and exported script
say which run they come from and that the update shown is the manual rule."""

from gui_backprop.core.code_listing import TRAINED_UPDATE, code_listing
from gui_backprop.core.lessons import find_lesson, load_lessons
from gui_backprop.core.script_export import export_script
from gui_backprop.core.walkthrough import Stage
from tests.shared_helpers import run_exported_script

LESSON = find_lesson("linear-regression", load_lessons())
NOTE = "trained to epoch 300 of 300 with torch.optim.Adam"


def test_the_listing_names_the_run_and_says_its_update_is_the_manual_rule():
    trace = LESSON.trace()
    plain, noted = code_listing(trace), code_listing(trace, trained_note=NOTE)
    assert "torch.optim.Adam" not in plain.text and "Train tab" not in plain.text
    comments = " ".join(row.strip("# ").strip() for row in noted.text.splitlines()
                        if row.strip().startswith("#"))
    assert f"Train tab: {NOTE}" in comments and TRAINED_UPDATE in comments
    assert max(len(row) for row in noted.text.splitlines()
               if row.strip().startswith("#")) <= 46
    for key in ("update.w", "update.b", "backward", "forward.J", "zero_grad.w"):
        assert noted.line_text(noted.lines[key]) == plain.line_text(plain.lines[key])
    assert noted.line_text(noted.lines["update.w"]) == "w -= 0.05 * w.grad"


def test_the_walkthroughs_update_steps_and_code_lines_follow_the_note():
    walkthrough = LESSON.walkthrough()
    noted = walkthrough.with_trained_note(NOTE)
    assert noted.trace is walkthrough.trace and noted.trained_note == NOTE
    for step in noted.steps:
        assert noted.listing.line_text(step.code_line) == \
            walkthrough.listing.line_text(walkthrough.steps[step.index].code_line)
        if step.stage is Stage.UPDATE:
            assert NOTE in step.text and "manual update" in step.text
        else:
            assert step.text == walkthrough.steps[step.index].text
    back = noted.with_trained_note(None)
    assert back.listing.text == walkthrough.listing.text
    assert [s.text for s in back.steps] == [s.text for s in walkthrough.steps]
    assert noted.code_comments is walkthrough.code_comments


def test_the_exported_script_names_the_run_and_still_prints_the_walkthroughs_numbers(tmp_path):
    trace = LESSON.trace()
    source = export_script(trace, trained_note=NOTE)
    assert NOTE in source and "manual rule" in source
    path = tmp_path / "script.py"
    path.write_text(source)
    printed = run_exported_script(path)
    assert printed[(0, "w")] == trace.first.updates[0].after
