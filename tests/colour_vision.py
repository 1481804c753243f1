"""Colour-vision checks for palettes: Machado, Oliveira & Fernandes (2009) simulation of protanopia and
deuteranopia (severity 1, applied in linear RGB), and CIE76 colour differences in CIELAB."""

from __future__ import annotations

import numpy as np

MACHADO_2009 = {
    "normal": np.eye(3),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
}


def _linear(colour: str) -> np.ndarray:
    srgb = np.array([int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)])
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def lab(colour: str, vision: str = "normal") -> np.ndarray:
    """CIELAB (D65) of `colour` as seen with `vision` (a key of MACHADO_2009)."""
    rgb = np.clip(MACHADO_2009[vision] @ _linear(colour), 0, 1)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ rgb
    xyz = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def difference(first: str, second: str, vision: str = "normal") -> float:
    """CIE76 ΔE between two colours as seen with `vision` (about 2.3 is just noticeable)."""
    return float(np.linalg.norm(lab(first, vision) - lab(second, vision)))
