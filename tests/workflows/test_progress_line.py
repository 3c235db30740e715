"""Progress lines of pretraining and meta-training: on stderr, or not at all."""

from trainlab.config.recipe import Recipe
from trainlab.workflows.progress_line import say


def test_a_line_goes_to_stderr_unless_progress_is_off(capsys) -> None:
    say(Recipe(), "meta protonet: episode 100/800")
    say(Recipe().override({"train.progress": False}), "hidden")
    out = capsys.readouterr()
    assert out.err == "meta protonet: episode 100/800\n" and out.out == ""
