"""The `journeymap` command as a user runs it: output, exit codes, files left intact."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeymap import __version__, load
from journeymap.cli.app import app

runner = CliRunner()
BIN = Path(sys.executable).parent / "journeymap"


def jm(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "120"})
    return result.exit_code, result.stdout, result.stderr


def test_the_issue_scenario_new_typo_validate(tmp_path: Path) -> None:
    """new from a template, misspell a channel, validate: a located error and exit code 1."""
    path = tmp_path / "x.yaml"
    env = {**os.environ, "COLUMNS": "200"}
    subprocess.run(
        [BIN, "new", "--template", "online-store-checkout", path],
        check=True,
        cwd=tmp_path,
        env=env,
        capture_output=True,
    )
    lines = path.read_text().splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip() == "channel: email")
    lines[at] = lines[at].replace("email", "emial")
    path.write_text("\n".join(lines) + "\n")
    result = subprocess.run(
        [BIN, "validate", "x.yaml"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.returncode == 1
    card = next(i for i, c in enumerate(load_raw_cards(path)) if c.get("channel") == "emial")
    column = lines[at].index("emial") + 1
    assert result.stderr.splitlines()[0] == (
        f"x.yaml:{at + 1}:{column} cards[{card}].channel: unknown channel 'emial' "
        "(did you mean 'email'?)"
    )


def load_raw_cards(path: Path) -> list[dict[str, object]]:
    from journeymap.files.yaml_text import parse_yaml

    return parse_yaml(path.read_text()).data["cards"]  # type: ignore[no-any-return]


def test_version_and_help() -> None:
    code, out, _ = jm("--version")
    assert (code, out.strip()) == (0, f"journeymap {__version__}")
    for command in (
        "new",
        "validate",
        "fmt",
        "schema",
        "templates",
        "show",
        "add",
        "set",
        "move",
        "rm",
        "rename",
    ):
        code, out, _ = jm(command, "--help")
        assert code == 0 and "journeymap " + command in out.replace("\n", " "), command


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert jm("new")[0] == 2
    assert jm("validate", "--bogus", "x")[0] == 2
    assert jm("frobnicate")[0] == 2


def test_templates_lists_names_and_descriptions() -> None:
    code, out, _ = jm("templates")
    assert code == 0
    for name in (
        "online-store-checkout",
        "car-purchase",
        "service-signup",
        "tax-filing",
        "playlist-sharing",
    ):
        assert name in out
    assert "Alex orders a birthday gift" in out


def test_new_refuses_to_overwrite_and_explains_bad_names(tmp_path: Path) -> None:
    path = tmp_path / "j.yaml"
    assert jm("new", "--framework", "see-think-do", "--title", "Buying a car", path)[0] == 0
    before = path.read_text()
    code, _, err = jm("new", "-t", "tax-filing", path)
    assert code == 1 and "exists; pass --force" in err
    assert path.read_text() == before
    code, _, err = jm("new", "-t", "tax", tmp_path / "k.yaml")
    assert code == 1 and "no template named 'tax' (did you mean 'tax-filing'?)" in err
    assert not (tmp_path / "k.yaml").exists()
    assert load(path).title == "Buying a car"


def test_new_writes_json_too(tmp_path: Path) -> None:
    path = tmp_path / "j.json"
    assert jm("new", "-t", "playlist-sharing", path)[0] == 0
    assert json.loads(path.read_text())["id"] == "playlist-sharing"
    assert jm("validate", path)[0] == 0


def test_validate_many_files_and_json_output(tmp_path: Path, small_file: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(small_file.read_text().replace("severity: 5", "severity: 9"))
    code, out, err = jm("validate", small_file, bad)
    assert code == 1
    assert "✓" in out and "small.yaml: Small journey (2 stages, 4 cards)" in out
    assert "bad.yaml:52:15 cards[2].severity: severity must be at most 5, got 9" in err
    code, out, _ = jm("validate", "--json", small_file, bad)
    report = json.loads(out)
    assert code == 1
    assert [r["ok"] for r in report] == [True, False]
    assert report[1]["problems"][0] | {"hint": None} == {
        "file": str(bad),
        "line": 52,
        "column": 15,
        "path": "cards[2].severity",
        "code": "out-of-range",
        "message": "severity must be at most 5, got 9",
        "hint": None,
    }


def test_fmt_canonicalises_and_keeps_comments(small_file: Path) -> None:
    text = small_file.read_text()
    messy = "# Our journey, reviewed in March\n" + text.replace(
        "  - id: awareness\n    name: Awareness", "  - {name: Awareness, id: awareness}  # first"
    ).replace("channel: social", "channel: Social Media")
    small_file.write_text(messy)
    assert jm("fmt", "--check", small_file)[0] == 1
    assert small_file.read_text() == messy  # --check changes nothing
    code, out, _ = jm("fmt", small_file)
    assert code == 0 and "formatted" in out
    formatted = small_file.read_text()
    assert formatted.startswith("# Our journey, reviewed in March\n")
    assert re.search(r"\n  - id: awareness +# first\n    name: Awareness\n", formatted)
    assert "channel: social\n" in formatted
    assert jm("fmt", "--check", small_file)[0] == 0
    assert jm("fmt", small_file)[1].strip().endswith("already formatted")


def test_fmt_leaves_an_invalid_file_untouched(small_file: Path) -> None:
    broken = small_file.read_text().replace("lane: pains", "lane: nowhere")
    small_file.write_text(broken)
    code, _, err = jm("fmt", small_file)
    assert code == 1 and "unknown lane 'nowhere'" in err
    assert small_file.read_text() == broken


def test_edits_go_through_operations_and_keep_comments(small_file: Path) -> None:
    text = (
        small_file.read_text()
        .replace("cards:\n", "# Cards checked in the March workshop.\ncards:\n")
        .replace("    severity: 5\n", "    severity: 5  # the worst one\n")
    )
    small_file.write_text(text)
    assert (
        jm(
            "add",
            small_file,
            "card",
            "kind=pain_point",
            "stage=decision",
            "step=cart",
            "lane=pains",
            "severity=3",
            "text=Coupon field: rejects codes",
        )[0]
        == 0
    )
    assert jm("set", small_file, "card:fee", "frequency=constant")[0] == 0
    assert jm("set", small_file, "journey", "status=live", "review_by=2027-03-31")[0] == 0
    assert jm("move", small_file, "card:ad", "--stage", "decision", "--step", "cart")[0] == 0
    assert jm("rename", small_file, "stage:decision", "Purchase")[0] == 0
    assert jm("add", small_file, "stage", "name=Retention", "--after", "decision")[0] == 0
    assert jm("rm", small_file, "card:sees-ad")[0] == 0
    result = small_file.read_text()
    assert "# Cards checked in the March workshop.\ncards:\n" in result
    assert "    severity: 5  # the worst one\n    frequency: constant\n" in result
    journey = load(small_file)
    assert journey.card("coupon-field-rejects-codes").text == "Coupon field: rejects codes"  # type: ignore[union-attr]
    assert journey.card("ad").step == "cart"  # type: ignore[union-attr]
    assert [s.name for s in journey.live_stages()] == ["Awareness", "Purchase", "Retention"]
    assert journey.card("sees-ad") is None
    assert str(journey.review_by) == "2027-03-31"
    assert jm("fmt", "--check", small_file)[0] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("set", "card:fee", "severity=9"), "severity must be at most 5, got 9"),
        (("move", "card:nope", "--stage", "awareness"), "no card 'nope'"),
        (("rm", "lane:pain"), "no lane 'pain' (did you mean 'pains'?)"),
        (
            ("add", "card", "kind=quote", "stage=awareness", "lane=pains", "text=x"),
            "a quote card cannot sit in lane 'pains'",
        ),
        (("set", "card:fee", "severity"), "'severity' is not FIELD=VALUE"),
        (("rm", "fee"), "'fee' is not ENTITY:ID"),
        (("add", "widget", "name=x"), "unknown entity 'widget'"),
        (("move", "stage:decision", "--lane", "pains"), "a stage cannot be moved to a lane"),
        (("move", "card:fee"), "say where to"),
        (("move", "card:fee", "--after", "a", "--before", "b"), "not both"),
    ],
)
def test_bad_edits_explain_and_write_nothing(
    small_file: Path, args: tuple[str, ...], message: str
) -> None:
    before = small_file.read_bytes()
    code, _, err = jm(args[0], small_file, *args[1:])
    usage = "FIELD=VALUE" in message or "ENTITY:ID" in message or "entity" in message
    assert code == (2 if usage else 1)
    assert message in " ".join(err.split())
    assert small_file.read_bytes() == before
    assert [p.name for p in small_file.parent.iterdir()] == ["small.yaml"]  # no temp files left


def test_schema_prints_json_schema(tmp_path: Path) -> None:
    code, out, _ = jm("schema")
    assert code == 0 and json.loads(out)["title"] == "journeymap journey file"
    assert jm("schema", "-o", tmp_path / "s.json")[0] == 0
    assert json.loads((tmp_path / "s.json").read_text()) == json.loads(out)


def test_show_summarises(small_file: Path) -> None:
    code, out, _ = jm("show", small_file)
    assert code == 0
    assert "Small journey" in out and "Emotion curve" in out
    assert "-1.5  Tricked" in out
    assert "●●●●● Shipping fee appears late" in out


def test_show_and_validate_escape_markup_in_user_text(tmp_path: Path, small_file: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(small_file.read_text().replace("Small journey", "'[bold red]Hi[/] <b>'"))
    code, out, _ = jm("show", path)
    assert code == 0 and "[bold red]Hi[/] <b>" in out


def test_ids_and_references_stay_text_and_new_ids_are_reported(small_file: Path) -> None:
    code, out, _ = jm("add", small_file, "stage", "id=2024", "name=Year end")
    assert code == 0 and "added stage:2024" in out
    code, out, _ = jm(
        "add",
        small_file,
        "card",
        "kind=note",
        "stage=2024",
        "lane=actions",
        "text=Closes the books",
    )
    assert code == 0 and "added card:closes-books" in out
    code, out, _ = jm("add", small_file, "persona", "name=Bob")
    assert code == 0 and "added persona:bob" in out
    assert load(small_file).card("closes-books").stage == "2024"  # type: ignore[union-attr]


def test_write_failures_are_reported_not_raised(tmp_path: Path) -> None:
    folder = tmp_path / "adir"
    folder.mkdir()
    result = subprocess.run(
        [BIN, "new", "-t", "car-purchase", "--force", folder], capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"cannot write {folder}: it is a folder" in " ".join(result.stderr.split())


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Debian's chromium")
def test_render_writes_every_format(small_file: Path, tmp_path: Path) -> None:
    outs = [tmp_path / f"p.{ext}" for ext in ("svg", "png", "pdf", "html")]
    code, out, _ = jm("render", small_file, *[a for o in outs for a in ("-o", o)], "--scale", "2")
    assert out.count("wrote") == 4
    assert code == 0
    assert all(o.exists() and o.stat().st_size > 1000 for o in outs)
    assert outs[1].read_bytes()[:4] == b"\x89PNG" and outs[2].read_bytes()[:5] == b"%PDF-"


def test_render_refuses_unknown_types_before_drawing(small_file: Path, tmp_path: Path) -> None:
    code, _, err = jm("render", small_file, "-o", tmp_path / "p.svg", "-o", tmp_path / "p.gif")
    assert code == 1 and "unknown poster type '.gif'" in err
    assert not (tmp_path / "p.svg").exists()


def test_export_and_import_round_trip_through_the_cli(small_file: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "cards.csv"
    code, out, _ = jm("export", small_file, "-o", sheet)
    assert code == 0 and "wrote 4 cards" in out
    text = sheet.read_text(encoding="utf-8-sig").replace(
        "Shipping fee appears late", "Shipping fee shown too late"
    )
    sheet.write_text(text, encoding="utf-8")
    code, out, _ = jm("import", sheet, "--into", small_file)
    assert code == 0 and "0 added, 1 updated, 0 deleted" in out
    assert load(small_file).card("fee").text == "Shipping fee shown too late"  # type: ignore[union-attr]


def test_import_with_bad_rows_writes_nothing_unless_partial(
    small_file: Path, tmp_path: Path
) -> None:
    sheet = tmp_path / "cards.csv"
    sheet.write_text(
        'id,severity,text\nfee,high,x\nsees-ad,,"Sees an ad, twice"\n', encoding="utf-8"
    )
    before = small_file.read_bytes()
    code, _, err = jm("import", sheet, "--into", small_file)
    assert code == 1
    assert "row 2, column severity: 'high' is not a whole number" in err
    assert small_file.read_bytes() == before
    code, out, _ = jm("import", sheet, "--into", small_file, "--partial")
    assert code == 1 and "1 updated" in out
    assert load(small_file).card("sees-ad").text == "Sees an ad, twice"  # type: ignore[union-attr]


def test_counts_agree_with_their_nouns(tmp_path: Path) -> None:
    """ "1 card", "2 cards": wherever the command counts, the noun agrees with the number."""
    path = tmp_path / "one.yaml"
    assert jm("new", "--framework", "three-stage", path)[0] == 0
    card = ["card", "kind=note", "stage=awareness", "lane=thoughts"]
    assert jm("add", path, *card, "text=Just one")[0] == 0
    code, out, _ = jm("validate", path)
    assert code == 0 and "(3 stages, 1 card)" in out
    code, out, _ = jm("export", path, "-o", tmp_path / "cards.csv")
    assert code == 0 and "wrote 1 card to" in out
    assert jm("add", path, *card, "text=And another")[0] == 0
    assert "(3 stages, 2 cards)" in jm("validate", path)[1]
    broken = tmp_path / "broken.yaml"
    broken.write_text(path.read_text().replace("lane: thoughts", "lane: nowhere", 1))
    assert "broken.yaml: 1 problem" in jm("validate", broken)[2]
