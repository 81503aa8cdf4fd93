"""Write ``jena_fixture.csv``: a small, synthetic file in the Jena climate CSV format.

The values are made up (plausible winter weather with the physical relations between
the columns roughly right); the format is exactly that of
``jena_climate_2009_2016.csv``: quoted header, day-first ``Date Time``, 10-minute
steps from 01.01.2009 00:10:00, two decimals. Run ``python make_jena_fixture.py``
to regenerate it; the output is deterministic.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

ROWS = 1440  # ten days: the spans up to tenDays fit whole; longer ones are clipped
HEADER = [
    "Date Time",
    "p (mbar)",
    "T (degC)",
    "Tpot (K)",
    "Tdew (degC)",
    "rh (%)",
    "VPmax (mbar)",
    "VPact (mbar)",
    "VPdef (mbar)",
    "sh (g/kg)",
    "H2OC (mmol/mol)",
    "rho (g/m**3)",
    "wv (m/s)",
    "max. wv (m/s)",
    "wd (deg)",
]


def columns(rows: int = ROWS, seed: int = 2009) -> dict[str, np.ndarray]:
    """The fixture's numeric columns, keyed by the Jena header names."""
    rng = np.random.default_rng(seed)
    days = np.arange(1, rows + 1) / 144.0
    slow = np.sin(2 * np.pi * days / 6.0) + 0.5 * np.sin(2 * np.pi * days / 2.3 + 1.0)
    temp = -2.0 + 3.5 * np.sin(2 * np.pi * (days - 0.375)) + 3.0 * slow
    temp += rng.normal(0.0, 0.15, rows)
    pressure = 996.0 - 6.0 * slow + rng.normal(0.0, 0.1, rows)
    rh = np.clip(88.0 - 8.0 * np.sin(2 * np.pi * (days - 0.375)) + rng.normal(0, 2, rows), 30, 100)
    vp_max = 6.1078 * np.exp(17.27 * temp / (temp + 237.3))
    vp_act = vp_max * rh / 100.0
    a = np.log(vp_act / 6.1078)
    wind = rng.gamma(2.0, 1.0, rows)
    return {
        "p (mbar)": pressure,
        "T (degC)": temp,
        "Tpot (K)": (temp + 273.15) * (1000.0 / pressure) ** 0.286,
        "Tdew (degC)": 237.3 * a / (17.27 - a),
        "rh (%)": rh,
        "VPmax (mbar)": vp_max,
        "VPact (mbar)": vp_act,
        "VPdef (mbar)": vp_max - vp_act,
        "sh (g/kg)": 622.0 * vp_act / (pressure - 0.378 * vp_act),
        "H2OC (mmol/mol)": 1000.0 * vp_act / pressure,
        "rho (g/m**3)": pressure * 100.0 / (287.05 * (temp + 273.15)) * 1000.0,
        "wv (m/s)": wind,
        "max. wv (m/s)": wind * 1.6 + rng.gamma(1.5, 0.4, rows),
        "wd (deg)": rng.uniform(0.0, 360.0, rows),
    }


def write(path: Path, rows: int = ROWS) -> None:
    """Write the fixture CSV to ``path``."""
    stamps = pd.date_range("2009-01-01 00:10:00", periods=rows, freq="10min")
    data = columns(rows)
    with path.open("w", newline="", encoding="utf-8") as stream:
        stream.write(",".join(f'"{name}"' for name in HEADER) + "\n")
        writer = csv.writer(stream, lineterminator="\n")
        for i, stamp in enumerate(stamps):
            cells = [f"{data[name][i]:.2f}" for name in HEADER[1:]]
            writer.writerow([stamp.strftime("%d.%m.%Y %H:%M:%S"), *cells])


if __name__ == "__main__":
    write(Path(__file__).with_name("jena_fixture.csv"))
