"""How a palette looks to colour-blind readers: Machado, Oliveira & Fernandes (2009) simulation of full
protanopia and deuteranopia, and the pairs of a categorical palette that become hard to tell apart.

Used by tests/test_colour_vision.py on every categorical palette of the charts and by
tests/test_map_classes.py on the map classes."""

from __future__ import annotations

from itertools import combinations

# Machado et al. 2009, severity 1.0, applied to linear RGB.
MACHADO = {
    "protanopia": ((0.152286, 1.052583, -0.204868),
                   (0.114503, 0.786281, 0.099216),
                   (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968),
                     (0.280085, 0.672501, 0.047413),
                     (-0.011820, 0.042940, 0.968881)),
}

# CIE76 distance in Lab below which two flat areas are easily confused (~10: clearly apart side by side).
MIN_DISTANCE = 10.0


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def _gamma(channel: float) -> float:
    channel = min(1.0, max(0.0, channel))
    return 12.92 * channel if channel <= 0.0031308 else 1.055 * channel ** (1 / 2.4) - 0.055


def hex_rgb(colour: str) -> tuple[float, float, float]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i:i + 2], 16) / 255 for i in (0, 2, 4))


def simulate(colour: str, deficiency: str) -> tuple[float, float, float]:
    """The sRGB colour (0–1 channels) a reader with `deficiency` (a key of MACHADO) sees for `colour`."""
    linear = [_linear(c) for c in hex_rgb(colour)]
    return tuple(_gamma(sum(m * c for m, c in zip(row, linear))) for row in MACHADO[deficiency])


def _lab(rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    r, g, b = (_linear(c) for c in rgb)
    xyz = (0.4124 * r + 0.3576 * g + 0.1805 * b, 0.2126 * r + 0.7152 * g + 0.0722 * b,
           0.0193 * r + 0.1192 * g + 0.9505 * b)
    f = [v ** (1 / 3) if v > 216 / 24389 else (24389 / 27 * v + 16) / 116
         for v in (xyz[0] / 0.95047, xyz[1], xyz[2] / 1.08883)]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


VISIONS = ("normal", *MACHADO)


def seen(colour: str, vision: str = "normal") -> tuple[float, float, float]:
    """The sRGB colour a reader with `vision` ("normal" or a key of MACHADO) sees for `colour`."""
    return hex_rgb(colour) if vision == "normal" else simulate(colour, vision)


def lightness(colour: str, vision: str = "normal") -> float:
    """CIELAB L* of `colour` as seen with `vision`."""
    return _lab(seen(colour, vision))[0]


def difference(first: str, second: str, vision: str = "normal") -> float:
    """CIE76 ΔE between two hex colours as seen with `vision` (about 2.3 is just noticeable)."""
    return distance(seen(first, vision), seen(second, vision))


def distance(first: tuple[float, float, float], second: tuple[float, float, float]) -> float:
    """CIE76 ΔE between two sRGB colours (0–1 channels)."""
    return sum((a - b) ** 2 for a, b in zip(_lab(first), _lab(second))) ** 0.5


def contrast_ratio(foreground: str, background: str = "#FFFFFF") -> float:
    """WCAG 2 contrast ratio of two hex colours."""
    def luminance(colour: str) -> float:
        r, g, b = (_linear(c) for c in hex_rgb(colour))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def confusable_pairs(palette: dict[str, str], minimum: float = MIN_DISTANCE) -> list[tuple[str, str, str, float]]:
    """(deficiency, key, key, ΔE) for every pair of `palette` closer than `minimum` to a colour-blind reader
    (and to everyone: the unsimulated colours are checked too)."""
    found = []
    for first, second in combinations(palette, 2):
        for deficiency in VISIONS:
            gap = difference(palette[first], palette[second], deficiency)
            if gap < minimum:
                found.append((deficiency, first, second, round(gap, 1)))
    return found
