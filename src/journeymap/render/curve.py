"""The emotion curve's shape: a smooth curve through the points that never overshoots them
(monotone cubic, Fritsch-Carlson), as SVG path data and as points along it (to keep labels
off it)."""

from __future__ import annotations

import itertools

Point = tuple[float, float]
Segment = tuple[Point, Point, Point, Point]  # start, two control points, end


def segments(points: list[Point]) -> list[Segment]:
    """The cubic pieces between consecutive points: between two scores the curve stays between
    those scores."""
    n = len(points)
    if n < 2:
        return []
    dx = [points[i + 1][0] - points[i][0] or 1e-9 for i in range(n - 1)]
    slope = [(points[i + 1][1] - points[i][1]) / dx[i] for i in range(n - 1)]
    tangent = [
        slope[0],
        *((a + b) / 2 if a * b > 0 else 0.0 for a, b in itertools.pairwise(slope)),
        slope[-1],
    ]
    for i, m in enumerate(slope):
        if m == 0:
            tangent[i] = tangent[i + 1] = 0.0
            continue
        a, b = tangent[i] / m, tangent[i + 1] / m
        if a * a + b * b > 9:  # keep the curve monotone on this segment
            t = 3 / (a * a + b * b) ** 0.5
            tangent[i], tangent[i + 1] = t * a * m, t * b * m
    out = []
    for i in range(n - 1):
        (x0, y0), (x1, y1) = points[i], points[i + 1]
        c1 = (x0 + dx[i] / 3, y0 + tangent[i] * dx[i] / 3)
        c2 = (x1 - dx[i] / 3, y1 - tangent[i + 1] * dx[i] / 3)
        out.append(((x0, y0), c1, c2, (x1, y1)))
    return out


def smooth_path(points: list[Point]) -> str:
    """SVG path data of the curve through `points`."""
    if not points:
        return ""
    d = f"M {points[0][0]:.1f} {points[0][1]:.1f}"
    for _, c1, c2, end in segments(points):
        d += f" C {c1[0]:.1f} {c1[1]:.1f}, {c2[0]:.1f} {c2[1]:.1f}, {end[0]:.1f} {end[1]:.1f}"
    return d


def along(points: list[Point], steps: int = 32) -> list[Point]:
    """Points along the curve, `steps` to a piece: as a polyline, it is never more than a
    pixel off the drawn curve on a poster's scale."""
    out = list(points[:1])
    for p0, c1, c2, p1 in segments(points):
        for k in range(1, steps + 1):
            t = k / steps
            u = 1 - t
            out.append(
                (
                    u**3 * p0[0] + 3 * u * u * t * c1[0] + 3 * u * t * t * c2[0] + t**3 * p1[0],
                    u**3 * p0[1] + 3 * u * u * t * c1[1] + 3 * u * t * t * c2[1] + t**3 * p1[1],
                )
            )
    return out
