"""The Jena weather case study of chapter 7 (section 7.1.2) as a command-line program.

The book's web page has menus for a time span, one or two data series, a
"Normalize Data" box and a "Plot Against Each Other" box; each of these is a flag
here. The chart goes to ``--out``, as HTML, PNG, SVG, PDF or JSON by its suffix.

Get the data (42 MB, not shipped with tfvis) from the book's examples::

    https://storage.googleapis.com/learnjs-data/jena_climate/jena_climate_2009_2016.csv

Then, for example::

    python examples/jena_weather.py jena_climate_2009_2016.csv --out week.html
    python examples/jena_weather.py jena_climate_2009_2016.csv --span year \\
        --start 2012-01-01 --out year.png
    python examples/jena_weather.py jena_climate_2009_2016.csv --span tenDays \\
        --series1 "T (degC)" --series2 "rho (g/m**3)" --scatter --out scatter.png
    python examples/jena_weather.py jena_climate_2009_2016.csv --span full --stride 1 \\
        --out all-rows.html      # 420,551 rows a series; tfvis reduces them to its budget

Unlike the book's tfjs-vis chart, which silently plots sample indices, the x axis
here is real time.
"""

from __future__ import annotations

import argparse
import difflib
import sys
import warnings
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import pandas as pd

import tfvis
from tfvis import render

DATE_COLUMN = "Date Time"
DATE_FORMAT = "%d.%m.%Y %H:%M:%S"
COLUMNS = (
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
)
#: Rows per time span (one row every 10 minutes); None is "from the start to the end".
TIME_SPANS: dict[str, int | None] = {
    "hour": 6,
    "day": 6 * 24,
    "week": 6 * 24 * 7,
    "tenDays": 6 * 24 * 10,
    "month": 6 * 24 * 30,
    "year": 6 * 24 * 365,
    "full": None,
}
#: The book draws every k-th row of a span (it has no stride for 'hour': every row).
STRIDES = {"hour": 1, "day": 1, "week": 1, "tenDays": 6, "month": 6, "year": 36, "full": 144}
#: The book normalises with the statistics of the first year of rows.
NORMALIZATION_ROWS = 6 * 24 * 365
NONE = "None"
SUFFIXES = (".html", ".htm", ".png", ".svg", ".pdf", ".json")
_START_FORMATS = ("%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y")


class JenaError(Exception):
    """The CSV or a flag cannot be used; the message says why."""


# ----------------------------------------------------------------------------- data


def load(path: str | Path) -> pd.DataFrame:
    """Read a Jena climate CSV into a frame indexed by time.

    Parameters
    ----------
    path
        ``jena_climate_2009_2016.csv`` or a file in the same format: a ``Date Time``
        column like ``01.01.2009 00:10:00`` (day first) and the 14 measurement columns.

    Returns
    -------
    pandas.DataFrame
        The 14 columns as float64, in file order, with a DatetimeIndex named
        ``Date Time`` (the file's wall-clock times, no time zone).

    Raises
    ------
    JenaError
        If the file is missing, a column is missing or a date does not parse.
    """
    try:
        frame = pd.read_csv(path)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as error:
        raise JenaError(f"cannot read {path}: {error}") from error
    missing = [c for c in (DATE_COLUMN, *COLUMNS) if c not in frame.columns]
    if missing:
        raise JenaError(f"{path} lacks the Jena column(s) {', '.join(map(repr, missing))}")
    try:
        index = pd.DatetimeIndex(pd.to_datetime(frame[DATE_COLUMN], format=DATE_FORMAT))
    except ValueError as error:
        message = f"{path}: a '{DATE_COLUMN}' is not like 01.01.2009 00:10:00: {error}"
        raise JenaError(message) from error
    try:
        values = frame[list(COLUMNS)].astype("float64")
    except ValueError as error:
        raise JenaError(f"{path}: a measurement is not a number: {error}") from error
    values.index = index.rename(DATE_COLUMN)
    result: pd.DataFrame = values
    return result


def normalize(frame: pd.DataFrame, rows: int = NORMALIZATION_ROWS) -> pd.DataFrame:
    """Subtract each column's mean and divide by its population standard deviation.

    Both come from the first ``rows`` rows (the first year), as in the book.
    """
    head = frame.iloc[:rows]
    scaled: pd.DataFrame = (frame - head.mean()) / head.std(ddof=0)
    return scaled


def parse_start(text: str) -> datetime:
    """A start date: ISO (``2012-01-01``, ``2012-01-01 06:00``) or day-first like the CSV."""
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    for fmt in _START_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise JenaError(f"--start {text!r} is not a date like 2012-01-01 or 01.01.2012 06:00:00")


def select(
    frame: pd.DataFrame, *, span: str, start: datetime | None = None, stride: int | None = None
) -> pd.DataFrame:
    """The rows of one time span from ``start``, every ``stride``-th one.

    Parameters
    ----------
    frame
        The loaded (optionally normalised) data.
    span
        A key of :data:`TIME_SPANS`; spans past the last row end there.
    start
        First time to show; the first row at or after it starts the span (the
        first row of the file when None).
    stride
        Keep every ``stride``-th row; the book's stride of the span when None.
    """
    begin = 0 if start is None else int(frame.index.searchsorted(pd.Timestamp(start)))
    if begin >= len(frame):
        raise JenaError(f"--start {start} is after the last row ({frame.index[-1]})")
    rows = TIME_SPANS[span]
    end = len(frame) if rows is None else min(len(frame), begin + rows)
    step = STRIDES[span] if stride is None else stride
    rows_kept: pd.DataFrame = frame.iloc[begin:end:step]
    return rows_kept


# ---------------------------------------------------------------------------- chart


def make_chart(
    frame: pd.DataFrame,
    *,
    series1: str,
    series2: str | None,
    normalized: bool,
    scatter: bool,
    width: float,
    height: float,
) -> tfvis.Chart:
    """A line chart of one or two series against time, or series 2 against series 1.

    ``frame`` is the selected rows (see :func:`select`); ``normalized`` only changes
    the names, as in the book: ``T (degC) (normalized)``.
    """
    suffix = " (normalized)" if normalized else ""
    if scatter:
        if series2 is None:
            raise JenaError("--scatter needs two series: give --series2 too")
        cloud = pd.Series(frame[series2].to_numpy(), index=frame[series1].to_numpy())
        first, last = frame.index[0], frame.index[-1]
        return render.scatterplot(
            {"values": [cloud], "series": [f"{first:%Y-%m-%d} to {last:%Y-%m-%d}"]},
            width=width,
            height=height,
            xLabel=series1 + suffix,
            yLabel=series2 + suffix,
        )
    columns = [series1] if series2 is None else [series1, series2]
    values = frame[columns].rename(columns=lambda c: c + suffix)
    names = list(values.columns)
    return render.linechart(
        {"values": values},
        width=width,
        height=height,
        xLabel="Time",
        yLabel=names[0] if len(names) == 1 else ("normalized value" if normalized else "value"),
    )


# ------------------------------------------------------------------------------ CLI


def build_parser() -> argparse.ArgumentParser:
    """The command line; every flag is documented in ``--help``."""
    parser = argparse.ArgumentParser(
        prog="jena_weather.py",
        description="Chart the Jena climate archive like the book's jena-weather page "
        "(Deep Learning with JavaScript, section 7.1.2), with a real time axis.",
        epilog="Columns: " + ", ".join(COLUMNS),
    )
    parser.add_argument("csv", type=Path, help="path of jena_climate_2009_2016.csv")
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("jena_weather.html"),
        help="output file; .html, .png, .svg, .pdf or .json (default: jena_weather.html)",
    )
    parser.add_argument(
        "--span",
        choices=list(TIME_SPANS),
        default="week",
        help="time span: hour (6 rows), day (144), week (1008), tenDays (1440), month "
        "(4320), year (52560) or full (every row from --start on); default: week",
    )
    parser.add_argument(
        "--start",
        default=None,
        help="first date to show, e.g. 2012-01-01, '2012-01-01 06:00' or 01.01.2012 "
        "(default: the first row)",
    )
    parser.add_argument(
        "--series1", default="T (degC)", help="first column to plot (default: 'T (degC)')"
    )
    parser.add_argument(
        "--series2",
        default="p (mbar)",
        help="second column, or None for one series (default: 'p (mbar)')",
    )
    parser.add_argument(
        "--normalize",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="subtract the mean and divide by the population standard deviation of the "
        "first 52,560 rows, as the book does (default: on; --no-normalize for raw units)",
    )
    parser.add_argument(
        "--scatter",
        action="store_true",
        help="plot series 2 against series 1 as a scatter plot ('Plot Against Each Other')",
    )
    parser.add_argument(
        "--stride",
        type=int,
        default=None,
        help="draw every N-th row (default: the book's stride of the span: day 1, week 1, "
        "tenDays 6, month 6, year 36, full 144); 1 draws every row and lets tfvis "
        "reduce long series to its point budget",
    )
    parser.add_argument(
        "--width", type=float, default=800, help="chart width in pixels (default: 800)"
    )
    parser.add_argument(
        "--height", type=float, default=250, help="chart height in pixels (default: 250)"
    )
    return parser


def _column(name: str, flag: str) -> str:
    if name in COLUMNS:
        return name
    close = difflib.get_close_matches(name, COLUMNS, n=1, cutoff=0.4)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise JenaError(f"{flag} {name!r} is not a Jena column.{hint} Columns: {', '.join(COLUMNS)}")


def run(args: argparse.Namespace) -> str:
    """Load, select, chart and save as the parsed flags say; return a summary line."""
    series1 = _column(args.series1, "--series1")
    series2 = None if args.series2 == NONE else _column(args.series2, "--series2")
    if args.scatter and series2 is None:
        raise JenaError("--scatter needs two series: give --series2 too")
    if args.out.suffix.lower() not in SUFFIXES:
        raise JenaError(f"--out {args.out}: the suffix must be one of {', '.join(SUFFIXES)}")
    if args.stride is not None and args.stride < 1:
        raise JenaError(f"--stride must be 1 or more, got {args.stride}")
    start = None if args.start is None else parse_start(args.start)
    frame = load(args.csv)
    if args.normalize:
        frame = normalize(frame)
    rows = select(frame, span=args.span, start=start, stride=args.stride)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", tfvis.DownsampleWarning)
        chart = make_chart(
            rows,
            series1=series1,
            series2=series2,
            normalized=args.normalize,
            scatter=args.scatter,
            width=args.width,
            height=args.height,
        )
    for warning in caught:
        print(f"note: {warning.message}")
    chart.save(args.out)
    return (
        f"{len(rows):,} rows from {rows.index[0]} to {rows.index[-1]} -> {args.out}"
        f" ({'scatter' if args.scatter else 'line chart'})"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the program; return the exit code (0 ok, 1 error, 2 bad flags)."""
    args = build_parser().parse_args(argv)
    try:
        print(run(args))
    except (JenaError, tfvis.TfvisError) as error:
        print(f"jena_weather.py: error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
