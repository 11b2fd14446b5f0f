"""New journeys' gallery (templates with their previews, stage frameworks) and a journey's
cards as an XLSX spreadsheet, out and back in, over HTTP."""

from __future__ import annotations

import io

import openpyxl

from .conftest import Site

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_the_gallery_lists_templates_with_their_previews_and_frameworks(site: Site) -> None:
    c = site.client
    assert c.get("/api/templates").status_code == 401  # signed-in people only
    listed = c.get("/api/templates", headers=site.auth()).json()
    by_name = {t["name"]: t for t in listed}
    store = by_name["online-store-checkout"]
    assert store["title"] == "Buying a gift online" and store["personas"] == ["Alex"]
    assert store["cards"] > 20 and "Emotion curve" in " ".join(store["lanes"])
    whole = c.get("/api/templates/online-store-checkout", headers=site.auth()).json()
    assert [s["name"] for s in whole["document"]["stages"]] == store["stages"]
    made = c.post(f"/api/workspaces/{site.workspace}/journeys", headers=site.auth(),
                  json={"template": "online-store-checkout"}).json()["document"]  # fmt: skip
    keys = lambda doc: [(c["id"], c["order_key"]) for c in doc["cards"]]  # noqa: E731
    assert keys(whole["document"]) == keys(made)  # the preview in the API's journey shape
    missing = c.get("/api/templates/no-such-thing", headers=site.auth())
    assert missing.status_code == 404 and "GET /api/templates" in missing.json()["detail"]
    frameworks = c.get("/api/frameworks", headers=site.auth()).json()
    see = next(f for f in frameworks if f["name"] == "see-think-do")
    assert [s["name"] for s in see["stages"]] == ["See", "Think", "Do", "Grow", "Give"]
    # What the gallery shows is what a new journey gets.
    made = c.post(
        f"/api/workspaces/{site.workspace}/journeys",
        json={"framework": "see-think-do"},
        headers=site.auth(),
    ).json()["document"]
    assert [s["name"] for s in made["stages"]] == [s["name"] for s in see["stages"]]
    lanes = [ln["name"] for sec in made["sections"] for ln in sec["lanes"]]
    assert lanes == see["lanes"]


def _journey(site: Site) -> str:
    made = site.client.post(
        f"/api/workspaces/{site.workspace}/journeys",
        json={"template": "online-store-checkout"},
        headers=site.auth(),
    )
    return str(made.json()["id"])


def _upload(site: Site, jid: str, data: bytes, name: str = "cards.xlsx", query: str = "") -> dict:
    answer = site.client.post(
        f"/api/journeys/{jid}/cards.xlsx{query}",
        files={"file": (name, data, XLSX)},
        headers=site.auth(),
    )
    return {"status": answer.status_code, **answer.json()}


def test_cards_go_out_as_xlsx_and_come_back_in(site: Site) -> None:
    jid = _journey(site)
    sheet = site.client.get(f"/api/journeys/{jid}/cards.xlsx", headers=site.auth())
    assert sheet.status_code == 200 and sheet.headers["content-type"] == XLSX
    assert 'filename="online-store-checkout-cards.xlsx"' in sheet.headers["content-disposition"]
    book = openpyxl.load_workbook(io.BytesIO(sheet.content))
    cards = book["cards"]
    header = [c.value for c in cards[1]]
    rows = list(cards.iter_rows(min_row=2, values_only=True))
    doc = site.client.get(f"/api/journeys/{jid}", headers=site.auth()).json()["document"]
    assert len(rows) == len(doc["cards"])
    # Unchanged, it changes nothing.
    same = _upload(site, jid, sheet.content)
    assert same == {"status": 200, "rev": 1, "added": 0, "updated": 0, "deleted": 0}
    # One card's text changed and a new card added: one new revision.
    text_at = header.index("text") + 1
    first_id = rows[0][0]
    cards.cell(row=2, column=text_at, value="Sees a gift idea =SUM(A1)")
    stage, lane = doc["stages"][0]["id"], doc["sections"][0]["lanes"][0]["id"]
    cards.append(["", "note", stage, "", "", lane, "Asks a friend"])
    buffer = io.BytesIO()
    book.save(buffer)
    done = _upload(site, jid, buffer.getvalue())
    assert done == {"status": 200, "rev": 2, "added": 1, "updated": 1, "deleted": 0}
    after = site.client.get(f"/api/journeys/{jid}", headers=site.auth()).json()["document"]
    texts = {c["id"]: c["text"] for c in after["cards"]}
    assert texts[first_id] == "Sees a gift idea =SUM(A1)"  # text, never a formula
    assert "Asks a friend" in texts.values()
    history = site.client.get(f"/api/journeys/{jid}/history", headers=site.auth())
    assert history.status_code == 200


def test_a_bad_sheet_changes_nothing_and_says_which_rows(site: Site) -> None:
    jid = _journey(site)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "kind", "stage", "lane", "text"])
    sheet.append(["", "note", "no-such-stage", "actions", "Lost"])
    sheet.append(["", "nite", "browse", "actions", "Typo"])
    buffer = io.BytesIO()
    book.save(buffer)
    refused = _upload(site, jid, buffer.getvalue(), name="ideas.xlsx")
    assert refused["status"] == 422 and refused["title"] == "Spreadsheet not imported"
    assert refused["problems"][0].startswith("ideas.xlsx row 2")
    assert (
        "ideas.xlsx row 3, column kind: unknown card kind 'nite' (did you mean 'note'?)"
        in (refused["problems"][1])
    )
    unchanged = site.client.get(f"/api/journeys/{jid}", headers=site.auth())
    assert unchanged.json()["rev"] == 1
    not_zip = _upload(site, jid, b"PK\x03\x04 not really")
    assert not_zip["status"] == 422 and "ideas" not in not_zip["detail"]
    assert not_zip["detail"].startswith("cards.xlsx: ")  # the name sent, not a temporary path
    csv = _upload(site, jid, b"id,kind\n", name="cards.csv")
    assert csv["status"] == 422 and "send an .xlsx" in csv["detail"]


def test_sheets_need_the_right_role(site: Site) -> None:
    jid = _journey(site)
    viewer = site.user("vera@example.com", "viewer")
    sheet = site.client.get(f"/api/journeys/{jid}/cards.xlsx", headers=site.auth(viewer))
    assert sheet.status_code == 200
    refused = site.client.post(
        f"/api/journeys/{jid}/cards.xlsx",
        files={"file": ("cards.xlsx", sheet.content, XLSX)},
        headers=site.auth(viewer),
    )
    assert refused.status_code == 403
    assert site.client.get(f"/api/journeys/{jid}/cards.xlsx").status_code == 401
