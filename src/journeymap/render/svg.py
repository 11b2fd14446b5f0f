"""The SVG writer: draws a laid-out poster. Every piece of user text is escaped here."""

from __future__ import annotations

import zlib

from ..domain.cards import Confidence, OpportunityCard, PainPointCard
from ..domain.model import Journey, State
from .curve import smooth_path
from .emotion_labels import LabelPlace, curve_points, label_text, place_labels, radius
from .geometry import (
    BIG_LINE,
    CARD_PAD,
    FONT,
    LABEL_W,
    LINE,
    MARGIN,
    PERSONA_LEFT,
    SECTION_H,
    SMALL,
    SMALL_LINE,
    TITLE,
    Box,
)
from .layout import CardGeo, EmotionGeo, Poster, layout, stale_note
from .svg_parts import INK, MUTED, RULE, esc, score_colour
from .svg_parts import rect as _rect
from .svg_parts import text as _text
from .text_metrics import clip
from .voice import draw_voice

FONT_FAMILY = "'Noto Sans', 'Noto Sans CJK SC', 'Noto Sans CJK JP', 'Noto Color Emoji', sans-serif"
KIND_STYLE = {  # fill, border, head colour
    "note": ("#ffffff", "#9aa5b1", "#52606d"),
    "touchpoint": ("#e8f1fb", "#2f6fbd", "#1d4f91"),
    "pain_point": ("#fdecea", "#c62828", "#9b1c1c"),
    "opportunity": ("#e9f6ec", "#2e7d32", "#1b5e20"),
    "quote": ("#fff8e1", "#c99a06", "#8d6e00"),
    "metric": ("#efeafb", "#5e35b1", "#4527a0"),
}
SEVERITY = ["#f6c1bd", "#ef9a9a", "#e57373", "#d32f2f", "#9b1c1c"]
STATUS = {
    "idea": "#7b8794",
    "planned": "#2f6fbd",
    "in_progress": "#c99a06",
    "done": "#2e7d32",
    "dropped": "#9aa5b1",
}
CHANNEL_PALETTE = [
    "#2f6fbd",
    "#00897b",
    "#8e24aa",
    "#ef6c00",
    "#5d4037",
    "#3949ab",
    "#c2185b",
    "#558b2f",
    "#00838f",
    "#6d4c41",
]


def render_svg(journey: Journey, evidence: object = None) -> str:
    return write_svg(layout(journey, evidence=evidence))


def write_svg(p: Poster) -> str:
    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{p.width:.0f}" height="{p.height:.0f}" '
        f'viewBox="0 0 {p.width:.0f} {p.height:.0f}" font-family="{FONT_FAMILY}" '
        f'data-journey="{esc(p.journey.id)}">',
        f"<title>{esc(p.journey.title)}</title>",
        '<rect width="100%" height="100%" fill="#ffffff"/>',
    ]
    out += _header(p)
    out += _persona_boxes(p)
    out += _stage_headers(p)
    out += _rows(p)
    out += _emotion_curve(p)
    out += draw_voice(p)  # the measured curve, the disagreements and the heatmap
    out += [_card(c) for c in p.cards]
    out += _legend(p)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _header(p: Poster) -> list[str]:
    j = p.journey
    out = [
        _text(MARGIN, MARGIN + TITLE, p.title_lines, TITLE, TITLE + 8, weight="bold", cls="title")
    ]
    sub_y = MARGIN + len(p.title_lines) * (TITLE + 8) + 12
    out.append(_text(MARGIN, sub_y, [p.subtitle], SMALL + 1, fill=MUTED, cls="subtitle"))
    future = j.state is State.future
    badge = "FUTURE STATE" if future else "CURRENT STATE"
    colour = "#8e24aa" if future else "#2f6fbd"
    bx = p.width - MARGIN - 150
    out.append(_rect(Box(bx, MARGIN, 150, 30), colour, rx=15, cls="state-badge"))
    out.append(
        _text(
            bx + 75, MARGIN + 20, [badge], SMALL + 1, fill="#ffffff", weight="bold", anchor="middle"
        )
    )
    if future and j.current_journey:
        out.append(
            _text(
                p.width - MARGIN,
                MARGIN + 48,
                [f"improves {j.current_journey}"],
                SMALL,
                fill=MUTED,
                anchor="end",
            )
        )
    return out


def _persona_boxes(p: Poster) -> list[str]:
    out = []
    for geo in p.personas:
        b = geo.box
        out.append(_rect(b, "#f5f7fa", RULE, rx=10, cls="persona"))
        y = b.y + 26
        out.append(_text(b.x + 16, y, geo.name_lines, FONT + 4, 22, weight="bold"))
        y += len(geo.name_lines) * 22 - 2
        out.append(_text(b.x + 16, y, geo.segment_lines, SMALL + 1, 16, fill=MUTED))
        y += len(geo.segment_lines) * 16 + 8
        out.append(_text(b.x + 16, y, geo.quote_lines, FONT, LINE, style="italic"))
        col_w = (b.w - PERSONA_LEFT) / max(len(geo.columns), 1)
        for i, (heading, lines) in enumerate(geo.columns):
            x = b.x + PERSONA_LEFT + i * col_w
            out.append(_text(x, b.y + 24, [heading.upper()], SMALL, fill=MUTED, weight="bold"))
            out.append(_text(x, b.y + 42, lines, SMALL, SMALL_LINE))
    return out


def _stage_headers(p: Poster) -> list[str]:
    out = []
    for s in p.stages:
        out.append(f'<g class="stage" data-id="{esc(s.id)}">')
        out.append(_rect(s.box, "#243b53", rx=8))
        out.append(
            _text(
                s.box.x + 14,
                s.box.y + 24,
                s.name_lines,
                FONT + 3,
                20,
                fill="#ffffff",
                weight="bold",
            )
        )
        marks = []
        if s.pains:
            marks.append(f"▲ {s.pains} pain{'s' * (s.pains != 1)}")
        if s.opportunities:
            marks.append(f"◆ {s.opportunities} opportunit{'ies' if s.opportunities != 1 else 'y'}")
        marks_y = s.box.y + 24 + (len(s.name_lines) - 1) * 20 + 18
        if marks:
            out.append(
                _text(
                    s.box.x + 14,
                    marks_y,
                    ["   ".join(marks)],
                    SMALL,
                    fill="#d9e2ec",
                    cls="stage-markers",
                )
            )
        if s.funnel:
            out.append(
                _text(
                    s.box.x + 14,
                    marks_y + 17,
                    s.funnel,
                    SMALL,
                    SMALL_LINE,
                    fill="#bcccdc" if s.stale else "#9fd8ff",
                    weight="bold",
                    style="italic" if s.stale else "normal",
                    cls="stage-funnel stale" if s.stale else "stage-funnel",
                )
            )
        out.append("</g>")
    for c in p.columns:
        data = (
            f' data-stage="{esc(c.stage)}" data-step="{esc(c.step or "")}" '
            f'data-x="{c.box.x:.1f}" data-w="{c.box.w:.1f}"'
        )
        out.append(f'<g class="column"{data}>')
        if c.has_header:
            out.append(_rect(c.box, "#d9e2ec", rx=6))
            out.append(
                _text(
                    c.box.x + 10, c.box.y + 20, [c.label], FONT - 1, weight="bold", fill="#243b53"
                )
            )
        out.append("</g>")
    return out


def _rows(p: Poster) -> list[str]:
    out = []
    for s in p.sections:
        out.append(f'<g class="section" data-id="{esc(s.section.id)}">')
        out.append(_rect(s.box, "#e4e7eb", rx=6))
        out.append(
            _text(
                s.box.x + 12,
                s.box.y + SECTION_H - 10,
                [s.section.name.upper()],
                SMALL + 1,
                fill="#323f4b",
                weight="bold",
            )
        )
        out.append("</g>")
    for i, lane in enumerate(p.lanes):
        b = lane.box
        data = (
            f' data-id="{esc(lane.lane.id)}" data-section="{esc(lane.section)}" '
            f'data-kind="{lane.lane.kind.value}" data-y="{b.y:.1f}" data-h="{b.h:.1f}"'
        )
        out.append(f'<g class="lane"{data}>')
        out.append(_rect(b, "#fbfcfd" if i % 2 else "#f5f7fa", rx=4))
        out.append(
            _text(b.x + 12, b.y + 24, lane.label_lines, FONT, LINE, fill="#323f4b", weight="bold")
        )
        out.append(
            _text(
                b.x + 12,
                b.y + 24 + len(lane.label_lines) * LINE,
                [lane.lane.kind.value.replace("_", " ")],
                SMALL,
                fill=MUTED,
            )
        )
        out.append("</g>")
    return out


def _card(c: CardGeo) -> str:
    card, b = c.card, c.box
    fill, border, head = KIND_STYLE[card.kind]
    width = {Confidence.assumed: 1.2, Confidence.reported: 1.6, Confidence.observed: 2.6}
    dash = "5 3" if card.confidence is Confidence.assumed else ""
    if isinstance(card, PainPointCard):
        border = SEVERITY[card.severity - 1]
        fill = "#fdecea" if card.severity < 4 else "#fbd9d5"
    data = (
        f' data-id="{esc(card.id)}" data-kind="{card.kind}" data-stage="{esc(card.stage)}" '
        f'data-step="{esc(card.step or "")}" data-lane="{esc(card.lane)}" '
        f'data-confidence="{card.confidence.value}"'
    )
    out = [
        f'<g class="card"{data}>',
        _rect(b, fill, border, rx=7, width=width[card.confidence], dash=dash),
    ]
    if card.kind == "touchpoint" and card.channel:  # "no channel": no colour bar
        colour = CHANNEL_PALETTE[zlib.crc32(card.channel.encode()) % len(CHANNEL_PALETTE)]
        out.append(_rect(Box(b.x, b.y + 6, 4, b.h - 12), colour, rx=2))
    x, y = b.x + CARD_PAD, b.y + CARD_PAD + SMALL
    out.append(_text(x, y, [c.head], SMALL - 1, fill=head, weight="bold", cls="card-head"))
    out.append(_confidence_mark(card.confidence, b))
    if isinstance(card, PainPointCard):
        for k in range(5):
            on = k < card.severity
            cx = b.right - 58 + k * 9
            out.append(
                f'<circle cx="{cx:.1f}" cy="{y - 4:.1f}" r="3.2" '
                f'fill="{SEVERITY[card.severity - 1] if on else "#ffffff"}" '
                f'stroke="{SEVERITY[-1]}" stroke-width="0.8"/>'
            )
    if isinstance(card, OpportunityCard):
        out.append(
            f'<circle cx="{b.right - 30:.1f}" cy="{y - 4:.1f}" r="4" '
            f'fill="{STATUS[card.status.value]}"/>'
        )
    y += LINE + 2
    style = "italic" if card.kind == "quote" else "normal"
    weight = "bold" if card.kind == "metric" else "normal"
    out.append(_text(x, y, c.lines, FONT, LINE, style=style, weight=weight, cls="card-text"))
    y += len(c.lines) * LINE
    if c.big:
        out.append(
            _text(
                x, y + 18, c.big, c.big_size, BIG_LINE, weight="bold", fill=head, cls="card-value"
            )
        )
        y += len(c.big) * BIG_LINE
    if c.foot:
        out.append(_text(x, y + 2, c.foot, SMALL, SMALL_LINE, fill=MUTED, cls="card-foot"))
        y += len(c.foot) * SMALL_LINE + 4
    if c.measured:
        out.append(
            _text(
                x,
                y + 4,
                c.measured,
                SMALL,
                SMALL_LINE,
                fill=MUTED if c.stale else "#0b69a3",
                weight="bold",
                style="italic" if c.stale else "normal",
                cls="card-measured stale" if c.stale else "card-measured",
            )
        )
    out.append("</g>")
    return "".join(out)


def _confidence_mark(confidence: Confidence, b: Box) -> str:
    letter = confidence.value[0].upper()
    cx, cy = b.right - 13, b.y + 13
    return (
        f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="7" fill="#ffffff" stroke="#9aa5b1" '
        f'stroke-width="0.8"/><text x="{cx:.1f}" y="{cy + 3.5:.1f}" font-size="9" '
        f'text-anchor="middle" fill="{MUTED}" font-weight="bold">{letter}</text>'
    )


def _emotion_curve(p: Poster) -> list[str]:
    row = p.emotion_row
    if row is None:
        return []
    mid, scale = p.emotion_mid, p.emotion_scale
    out = ['<g class="emotion">']
    if not any(ln.box == row for ln in p.lanes):
        out.append(_rect(row, "#f5f7fa", rx=4))
        out.append(
            _text(row.x + 12, row.y + 24, ["Emotion curve"], FONT, fill="#323f4b", weight="bold")
        )
    for score in (2, 1, 0, -1, -2):
        y = mid - score * scale
        dash = "" if score == 0 else ' stroke-dasharray="2 4"'
        out.append(
            f'<line x1="{MARGIN + LABEL_W - 8}" y1="{y:.1f}" x2="{row.right:.1f}" '
            f'y2="{y:.1f}" stroke="#cbd2d9" stroke-width="1"{dash}/>'
        )
        out.append(
            _text(
                MARGIN + LABEL_W - 14,
                y + 4,
                [f"{score:+d}" if score else "0"],
                SMALL,
                fill=MUTED,
                anchor="end",
            )
        )
    points = curve_points(p)
    if len(points) > 1:
        out.append(
            f'<path class="emotion-curve" d="{smooth_path(points)}" fill="none" '
            f'stroke="#52606d" stroke-width="2.5" stroke-linecap="round"/>'
        )
    out += [_emotion_point(e, at) for e, at in zip(p.emotions, place_labels(p), strict=True)]
    out.append("</g>")
    return out


def _emotion_point(e: EmotionGeo, label: LabelPlace) -> str:
    pt = e.point
    data = (
        f' data-stage="{esc(pt.stage)}" data-step="{esc(pt.step or "")}" '
        f'data-card="{esc(pt.card or "")}" data-score="{pt.score}"'
    )
    out = [
        f'<g class="emotion-point"{data}>',
        f'<circle cx="{e.x:.1f}" cy="{e.y:.1f}" r="{radius(e):g}" '
        f'fill="{score_colour(pt.score)}" stroke="#ffffff" stroke-width="2"/>',
        _text(
            label.x,
            label.baseline,
            [label_text(pt.score)],
            SMALL,
            fill=MUTED,
            weight="bold",
            cls="emotion-score",
        ),
    ]
    if e.note_lines:
        out.append(
            f'<line x1="{e.x:.1f}" y1="{e.y + 10:.1f}" x2="{e.note_x:.1f}" '
            f'y2="{e.note_y - 13:.1f}" stroke="#cbd2d9" stroke-width="1" stroke-dasharray="1 3"/>'
        )
        out.append(
            _text(
                e.note_x,
                e.note_y,
                e.note_lines,
                SMALL,
                SMALL_LINE,
                fill=INK,
                anchor="middle",
                cls="emotion-note",
            )
        )
    out.append("</g>")
    return "".join(out)


def _legend(p: Poster) -> list[str]:
    b = p.legend
    if b is None:
        return []
    out = ['<g class="legend">', _rect(b, "#ffffff", RULE, rx=8)]
    x, y = b.x + 16, b.y + 26
    out.append(_text(x, y, ["CARDS"], SMALL, fill=MUTED, weight="bold"))
    names = {
        "note": "Note",
        "touchpoint": "Touchpoint",
        "pain_point": "Pain point",
        "opportunity": "Opportunity",
        "quote": "Quote",
        "metric": "Metric",
    }
    for i, (kind, label) in enumerate(names.items()):
        fill, border, _ = KIND_STYLE[kind]
        bx = x + i * 118
        out.append(_rect(Box(bx, y + 10, 22, 14), fill, border, rx=3))
        out.append(_text(bx + 28, y + 22, [label], SMALL))
    cx = x + 6 * 118 + 30
    out.append(_text(cx, y, ["CONFIDENCE"], SMALL, fill=MUTED, weight="bold"))
    for i, (label, w, dash) in enumerate(
        [("Assumed", 1.2, "5 3"), ("Reported", 1.6, ""), ("Observed", 2.6, "")]
    ):
        bx = cx + i * 104
        out.append(_rect(Box(bx, y + 10, 22, 14), "#ffffff", "#52606d", rx=3, width=w, dash=dash))
        out.append(_text(bx + 28, y + 22, [label], SMALL))
    ex = cx + 3 * 104 + 30
    out.append(_text(ex, y, ["EMOTION"], SMALL, fill=MUTED, weight="bold"))
    for i, score in enumerate((-2, -1, 0, 1, 2)):
        out.append(
            f'<circle cx="{ex + 8 + i * 34}" cy="{y + 17}" r="7" fill="{score_colour(score)}"/>'
        )
        out.append(
            _text(
                ex + 8 + i * 34, y + 40, [f"{score:+d}" if score else "0"], SMALL, anchor="middle"
            )
        )
    out.append(
        _text(
            x,
            y + 56,
            [
                "Pain severity: ● filled dots out of five. Opportunity status: "
                "coloured dot (idea, planned, in progress, done, dropped). "
                "A, R, O: assumed, reported, observed."
            ],
            SMALL,
            fill=MUTED,
        )
    )
    note = stale_note(p)
    if note:
        shown = clip(note, b.w - 32, SMALL, bold=True)
        out.append(
            _text(x, y + 76, [shown], SMALL, fill="#9b2c2c", weight="bold", cls="stale-note")
        )
    out.append("</g>")
    return out
