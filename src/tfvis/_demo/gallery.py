"""The ``tfvis demo`` gallery: every chart kind on book, real and synthetic data.

:func:`build` renders each :class:`Entry`, writes one PNG per chart and a single
offline ``index.html`` that embeds every spec and the Vega JavaScript once.

Data comes only from what ships with tfvis and its dependencies: the hand-written
data of the book's listings 7.1-7.6, the local datasets of ``vega_datasets``
(optional: without it those charts are skipped, with a message) and a synthetic,
Jena-shaped weather series of 420,551 rows that shows the point budget at the
book's scale.

Example
-------
>>> from tfvis._demo import gallery
>>> result = gallery.build("tfvis-gallery")  # doctest: +SKIP
>>> result.index  # doctest: +SKIP
PosixPath('tfvis-gallery/index.html')
"""

from __future__ import annotations

import functools
import importlib.util
import re
import time
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

import tfvis
from tfvis import _page, render
from tfvis._chart import Chart
from tfvis._output import Output
from tfvis._table import Table
from tfvis.errors import DemoError, DownsampleWarning

__all__ = [
    "JENA_ROWS",
    "VISOR_PAGE",
    "Entry",
    "GalleryResult",
    "Outcome",
    "build",
    "default_entries",
    "jena_synthetic",
]

#: Rows of the real Jena climate CSV (2009-2016, one row every 10 minutes).
JENA_ROWS = 420_551
#: The book normalises with the mean and standard deviation of the first year.
JENA_NORMALIZATION_ROWS = 52_560
_VEGA_DATASETS = "vega_datasets"
#: The visor report ``build`` writes beside ``index.html``.
VISOR_PAGE = "visor.html"


@dataclass(frozen=True)
class Entry:
    """One gallery chart: how to make it and how to describe it.

    Attributes
    ----------
    slug
        File stem and element id; lowercase letters, digits and dashes.
    title, source, caption
        Plain text shown on the page (escaped there).
    make
        Builds the chart (or table: any output with a PNG); may emit
        :class:`tfvis.DownsampleWarning`.
    needs
        Importable module names the chart needs beyond tfvis' own dependencies.
    """

    slug: str
    title: str
    source: str
    caption: str
    make: Callable[[], Output]
    needs: tuple[str, ...] = ()


@dataclass
class Outcome:
    """What happened to one entry: drawn (``chart``), skipped or failed (``error``)."""

    entry: Entry
    chart: Output | None = None
    png: Path | None = None
    seconds: float = 0.0
    reductions: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class GalleryResult:
    """The files written by :func:`build` and the outcome of every entry."""

    index: Path
    outcomes: tuple[Outcome, ...]
    seconds: float

    @property
    def failed(self) -> list[Outcome]:
        """Entries whose chart raised or could not be written."""
        return [o for o in self.outcomes if o.error is not None]


# --------------------------------------------------------------------------- data


def jena_synthetic(rows: int = JENA_ROWS, seed: int = 7) -> pd.DataFrame:
    """A synthetic series shaped like the Jena climate archive (NOT real measurements).

    Ten-minute steps from 2009-01-01 00:10: a yearly and a daily temperature cycle,
    weather that changes over days (autocorrelated noise, wider swings of pressure in
    winter) and the air density an ideal gas law gives for them.

    Parameters
    ----------
    rows
        Number of rows; the real archive has 420,551.
    seed
        Seed of the random weather noise, so every run draws the same pictures.

    Returns
    -------
    pandas.DataFrame
        Columns ``T (degC)``, ``p (mbar)`` and ``rho (g/m**3)``, a DatetimeIndex.
    """
    rng = np.random.default_rng(seed)
    days = np.arange(rows) / 144.0
    year = 2 * np.pi * days / 365.25
    # Weather systems: red noise (each value close to the last, as real weather), whose
    # swings take days; pressure swings more in winter, as it does over central Europe.
    fronts = _red_noise(rng, rows, days=2.5)
    spells = _red_noise(rng, rows, days=4.0)
    pressure = (
        989.0 + 8.0 * (1.0 + 0.35 * np.cos(year - 0.26)) * fronts + rng.normal(0.0, 0.05, rows)
    )
    summer = 0.5 * (1.0 - np.cos(year - 0.35))  # 0 in mid-January, 1 in mid-July
    temperature = (
        9.4
        - 9.5 * np.cos(year - 0.35)
        - (2.5 + 2.5 * summer) * np.cos(2 * np.pi * (days - 0.125))  # coolest before dawn
        + 3.0 * spells
        + 1.0 * fronts
        + rng.normal(0.0, 0.1, rows)
    )
    density = pressure * 100.0 / (287.05 * (temperature + 273.15)) * 1000.0
    index = pd.date_range("2009-01-01 00:10:00", periods=rows, freq="10min", name="Date Time")
    columns = {"T (degC)": temperature, "p (mbar)": pressure, "rho (g/m**3)": density}
    frame: pd.DataFrame = pd.DataFrame(columns, index=index)
    return frame


def _red_noise(rng: np.random.Generator, rows: int, days: float) -> np.ndarray:
    """Unit-variance noise correlated over about ``days`` days (10-minute steps).

    White noise filtered in the frequency domain by the spectrum of a first-order
    autoregressive process: one FFT instead of a 420,551-step Python loop.
    """
    cycles_per_day = np.fft.rfftfreq(rows, d=1.0 / 144.0)
    spectrum = np.fft.rfft(rng.normal(size=rows)) / np.hypot(1.0, 2 * np.pi * days * cycles_per_day)
    noise = np.fft.irfft(spectrum, n=rows)
    scaled: np.ndarray = noise / noise.std()
    return scaled


@functools.cache
def _jena() -> pd.DataFrame:
    """The full synthetic series, made once per process (three charts use it)."""
    return jena_synthetic()


def _normalized(frame: pd.DataFrame) -> pd.DataFrame:
    """Subtract the mean and divide by the population std of the first year, as the book."""
    first_year = frame.iloc[:JENA_NORMALIZATION_ROWS]
    scaled: pd.DataFrame = (frame - first_year.mean()) / first_year.std(ddof=0)
    return scaled


def _vega(name: str) -> pd.DataFrame:
    from vega_datasets import local_data

    frame: pd.DataFrame = local_data(name)
    return frame


# ------------------------------------------------------------------------- charts

_BOOK = "Deep Learning with JavaScript, chapter 7 (hand-written data)"
_SYNTHETIC = "synthetic (generated in numpy): NOT the real Jena measurements"
_VEGA = (_VEGA_DATASETS,)
_ENTRIES: list[Entry] = []
_LISTING_VALUES = [{"x": 1, "y": 20}, {"x": 2, "y": 30}, {"x": 3, "y": 5}, {"x": 4, "y": 12}]
_HISTOGRAM_DATA = [1, 5, 5, 5, 5, 10, -3, -3]
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _chart(
    slug: str, title: str, source: str, caption: str, needs: tuple[str, ...] = ()
) -> Callable[[Callable[[], Output]], Callable[[], Output]]:
    """Register the decorated function as a gallery entry; the page keeps this order."""

    def register(make: Callable[[], Output]) -> Callable[[], Output]:
        _ENTRIES.append(Entry(slug, title, source, caption, make, needs))
        return make

    return register


def default_entries() -> list[Entry]:
    """The gallery charts, in page order."""
    return list(_ENTRIES)


@_chart(
    "listing-7-1",
    "Listing 7.1: a line chart",
    _BOOK,
    "One series of {x, y} points. tfvis places each point at its x; tfjs-vis places "
    "it at its position in the list.",
)
def _listing_7_1() -> Chart:
    return render.linechart({"values": _LISTING_VALUES}, {"width": 400})


@_chart(
    "listing-7-2",
    "Listing 7.2: two series with axis labels",
    _BOOK,
    "A list of point lists draws several series; 'series' names them in the legend.",
)
def _listing_7_2() -> Chart:
    values = [
        _LISTING_VALUES,
        [{"x": 1, "y": 40}, {"x": 2, "y": 0}, {"x": 3, "y": 50}, {"x": 4, "y": -5}],
    ]
    return render.linechart(
        {"values": values, "series": ["My series 1", "My series 2"]},
        {"width": 400, "xLabel": "My x-axis label", "yLabel": "My y-axis label"},
    )


@_chart(
    "listing-7-3",
    "Listing 7.3: a scatter plot",
    _BOOK,
    "The same data shape as linechart, drawn as unconnected points.",
)
def _listing_7_3() -> Chart:
    values = [
        [{"x": 20, "y": 40}, {"x": 32, "y": 0}, {"x": 5, "y": 52}, {"x": 12, "y": -6}],
        [{"x": 15, "y": 35}, {"x": 0, "y": 9}, {"x": 7, "y": 28}, {"x": 16, "y": 8}],
    ]
    return render.scatterplot(
        {"values": values, "series": ["My scatter series 1", "My scatter series 2"]},
        {"width": 400, "xLabel": "My x-values", "yLabel": "My y-values"},
    )


@_chart(
    "listing-7-4",
    "Listing 7.4: a bar chart",
    _BOOK,
    "Indexes may be strings or numbers; the bars keep the order given.",
)
def _listing_7_4() -> Chart:
    data = [
        {"index": "foo", "value": 1},
        {"index": "bar", "value": 7},
        {"index": 3, "value": 3},
        {"index": 5, "value": 6},
    ]
    return render.barchart(data, {"yLabel": "My value", "width": 400})


@_chart(
    "listing-7-5-auto",
    "Listing 7.5: a histogram with automatic bins",
    _BOOK,
    "Vega's nice bins (at most 12 by default), computed in numpy, with the tfjs-vis "
    "statistics table above the bars.",
)
def _listing_7_5_auto() -> Chart:
    return render.histogram(_HISTOGRAM_DATA, {"width": 400})


@_chart(
    "listing-7-5-maxbins",
    "Listing 7.5: the same data with maxBins: 3",
    _BOOK,
    "Fewer, wider bins: none of them is empty.",
)
def _listing_7_5_maxbins() -> Chart:
    return render.histogram(_HISTOGRAM_DATA, {"maxBins": 3, "width": 400})


@_chart(
    "listing-7-6",
    "Listing 7.6: a heatmap (a made-up confusion matrix)",
    _BOOK,
    "values[i][j] is drawn at column i, row j, as in tfjs-vis; colorMap 'blues'.",
)
def _listing_7_6() -> Chart:
    fruit = ["Apple", "Orange", "Tangerine"]
    return render.heatmap(
        {
            "values": [[1, 0, 0], [0, 0.3, 0.7], [0, 0.7, 0.3]],
            "xTickLabels": fruit,
            "yTickLabels": fruit,
        },
        {
            "width": 500,
            "height": 300,
            "xLabel": "Actual Fruit",
            "yLabel": "Recognized Fruit",
            "colorMap": "blues",
        },
    )


@_chart(
    "seattle-hourly",
    "Seattle hourly temperature, 2010",
    "vega_datasets local data 'seattle-temps' (8,759 hourly readings)",
    "A real series longer than the point budget (4 points per pixel column at width "
    "800): tfvis draws a MinMaxLTTB reduction and records it.",
    _VEGA,
)
def _seattle_hourly() -> Chart:
    temps = _vega("seattle-temps").set_index("date")["temp"].rename("Seattle 2010")
    return render.linechart(
        {"values": [temps]}, width=800, height=250, xLabel="time", yLabel="temperature (°F)"
    )


@_chart(
    "seattle-daily",
    "Seattle daily maximum and minimum temperature, 2012-2015",
    "vega_datasets local data 'seattle-weather' (1,461 days)",
    "A DataFrame with a DatetimeIndex: one series per column on a real time axis; "
    "seriesColors[i] colours series[i].",
    _VEGA,
)
def _seattle_daily() -> Chart:
    frame = _vega("seattle-weather").set_index("date")[["temp_max", "temp_min"]]
    frame.columns = pd.Index(["daily max", "daily min"])
    return render.linechart(
        {"values": frame},
        width=800,
        height=250,
        xLabel="date",
        yLabel="temperature (°C)",
        seriesColors=["#d62728", "#1f77b4"],
    )


@_chart(
    "seattle-weather-days",
    "Seattle: days of each kind of weather, 2012-2015",
    "vega_datasets local data 'seattle-weather'",
    "A bar chart of counts, in the order given (sunniest first).",
    _VEGA,
)
def _seattle_weather_days() -> Chart:
    counts = _vega("seattle-weather")["weather"].value_counts()
    order = ["sun", "fog", "drizzle", "rain", "snow"]
    data = [{"index": kind, "value": int(counts.get(kind, 0))} for kind in order]
    return render.barchart(data, xLabel="weather", yLabel="days (2012-2015)")


@_chart(
    "seattle-precipitation",
    "Seattle: daily precipitation",
    "vega_datasets local data 'seattle-weather'",
    "Most days are dry: the statistics table counts them under '# Zeros'.",
    _VEGA,
)
def _seattle_precipitation() -> Chart:
    rain = _vega("seattle-weather")["precipitation"].to_numpy()
    return render.histogram(rain, maxBins=20, xLabel="daily precipitation (mm)", yLabel="days")


@_chart(
    "seattle-monthly",
    "Seattle: mean daily maximum temperature by month and year (°C)",
    "vega_datasets local data 'seattle-weather'",
    "A 12 x 4 matrix with tick labels; the default colorMap 'viridis' really is viridis.",
    _VEGA,
)
def _seattle_monthly() -> Chart:
    frame = _vega("seattle-weather")
    dates = pd.DatetimeIndex(frame["date"])
    table = frame.groupby([dates.month, dates.year])["temp_max"].mean().unstack()
    # Column-major like tfjs-vis: values[i][j] is drawn at x = month i, y = year j.
    return render.heatmap(
        {
            "values": table.to_numpy(),
            "xTickLabels": _MONTHS,
            "yTickLabels": [str(y) for y in table.columns],
        },
        width=560,
        height=220,
        xLabel="month",
        yLabel="year",
    )


@_chart(
    "stocks",
    "Monthly stock prices, 2000-2010",
    "vega_datasets local data 'stocks'",
    "Five series of different lengths (GOOG starts in 2004) on one time axis.",
    _VEGA,
)
def _stocks() -> Chart:
    frame = _vega("stocks")
    series = [
        frame[frame["symbol"] == s].set_index("date")["price"].rename(s)
        for s in ["AAPL", "AMZN", "GOOG", "IBM", "MSFT"]
    ]
    return render.linechart(
        {"values": series}, width=600, height=250, xLabel="month", yLabel="price (USD)"
    )


@_chart(
    "iris",
    "Iris: petal width against petal length",
    "vega_datasets local data 'iris' (150 flowers)",
    "One scatter series per species; zoomToFit drops the zero baseline.",
    _VEGA,
)
def _iris() -> Chart:
    groups = list(_vega("iris").groupby("species"))
    values = [
        [{"x": x, "y": y} for x, y in zip(g["petalLength"], g["petalWidth"], strict=True)]
        for _, g in groups
    ]
    return render.scatterplot(
        {"values": values, "series": [str(name) for name, _ in groups]},
        xLabel="petal length (cm)",
        yLabel="petal width (cm)",
        zoomToFit=True,
    )


@_chart(
    "jena-synthetic-full",
    "SYNTHETIC Jena-shaped weather: 8 years at 10-minute steps",
    _SYNTHETIC,
    "Two series of 420,551 rows each (the size of the real archive), normalized with "
    "the first year's mean and population standard deviation. tfjs-vis cannot draw "
    "this (the book strides by 144 for 'full'); tfvis reduces each series to the point "
    "budget, warns, and records it in the spec's usermeta.",
)
def _jena_full() -> Chart:
    # Pressure first, so the temperature's yearly cycle is drawn over its band.
    frame = _normalized(_jena()[["p (mbar)", "T (degC)"]])
    return render.linechart(
        {"values": frame},
        width=800,
        height=250,
        seriesColors=["#f58518", "#4c78a8"],
        title="Synthetic Jena-shaped weather, normalized",
        xLabel="Time (synthetic Jena-shaped data, 2009-2017)",
        yLabel="normalized value",
    )


@_chart(
    "jena-synthetic-10-days",
    "SYNTHETIC Jena-shaped weather: 10 days, the book's stride",
    _SYNTHETIC,
    "The book's 'tenDays' span (1,440 rows, every 6th drawn) on a real time axis: the "
    "daily temperature cycle.",
)
def _jena_ten_days() -> Chart:
    start = 200 * 144  # late July of the first year
    frame = _normalized(_jena()[["T (degC)", "p (mbar)"]])
    frame = frame.iloc[start : start + 1440 : 6]  # the book's tenDays span and stride
    return render.linechart(
        {"values": frame},
        width=800,
        height=250,
        title="Synthetic Jena-shaped weather, normalized",
        xLabel="Time (synthetic Jena-shaped data, 10 days, every 6th row)",
        yLabel="normalized value",
    )


@_chart(
    "jena-synthetic-scatter",
    "SYNTHETIC Jena-shaped weather: air density against temperature",
    _SYNTHETIC,
    "The book's 'plot against each other' view over all 420,551 rows: the cloud is "
    "thinned on a pixel grid (one point per occupied cell), which keeps outliers.",
)
def _jena_scatter() -> Chart:
    frame = _normalized(_jena()[["T (degC)", "rho (g/m**3)"]])
    cloud = pd.Series(frame["rho (g/m**3)"].to_numpy(), index=frame["T (degC)"].to_numpy())
    return render.scatterplot(
        {"values": [cloud], "series": ["synthetic Jena-shaped"]},
        width=500,
        height=300,
        xLabel="T (degC), normalized",
        yLabel="rho (g/m**3), normalized",
    )


# ------------------------------------------------------------- evaluating a model

_DIGITS = "scikit-learn's bundled digits (1,797 8x8 images); a tiny PyTorch model trained here"
_EVALUATION = ("sklearn", "torch")


@functools.cache
def _digits_model() -> tuple[object, np.ndarray, np.ndarray]:
    """A 64-32-10 PyTorch classifier trained on digits (about a second), and its test set.

    Returns the model (in eval mode), the test labels and the model's predictions.
    The global torch random state is left as it was.
    """
    import torch
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    x_train, x_test, y_train, y_test = train_test_split(
        digits.data / 16.0, digits.target, test_size=0.3, random_state=0, stratify=digits.target
    )
    threads = torch.get_num_threads()
    # A model this small only contends for cores with more threads (20x slower on a
    # busy machine); the process's setting is restored below.
    torch.set_num_threads(1)
    try:
        with torch.random.fork_rng():
            torch.manual_seed(0)
            model = torch.nn.Sequential(
                torch.nn.Linear(64, 32), torch.nn.ReLU(), torch.nn.Linear(32, 10)
            )
            optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
            inputs = torch.tensor(x_train, dtype=torch.float32)
            targets = torch.tensor(y_train)
            for _ in range(150):  # full-batch steps
                optimizer.zero_grad()
                loss = torch.nn.functional.cross_entropy(model(inputs), targets)
                loss.backward()  # type: ignore[no-untyped-call]
                optimizer.step()
            model.eval()
            with torch.no_grad():
                scores = model(torch.tensor(x_test, dtype=torch.float32))
    finally:
        torch.set_num_threads(threads)
    return model, y_test, scores.numpy()


@_chart(
    "evaluation-confusion-matrix",
    "Evaluating a model: the confusion matrix of a digits classifier",
    _DIGITS,
    "metrics.confusion_matrix(labels, scores) reduces the score rows by argmax; rows are "
    "the true digit, columns the prediction. shadeDiagonal=False leaves the correct "
    "answers white, so the colour shows only the mistakes.",
    _EVALUATION,
)
def _evaluation_confusion_matrix() -> Output:
    from tfvis import metrics

    _, labels, scores = _digits_model()
    counts = metrics.confusion_matrix(labels, scores)
    return render.confusion_matrix(
        {"values": counts, "tickLabels": [str(d) for d in range(10)]},
        shadeDiagonal=False,
        width=420,
        height=400,
    )


@_chart(
    "evaluation-per-class-accuracy",
    "Evaluating a model: per-class accuracy",
    _DIGITS,
    "metrics.per_class_accuracy and show.per_class_accuracy: a tfvis.Table, an HTML table "
    "on this page and in notebooks; its PNG beside the page is drawn with Vega text marks.",
    _EVALUATION,
)
def _evaluation_per_class_accuracy() -> Output:
    from tfvis import metrics, show

    _, labels, scores = _digits_model()
    accuracy = metrics.per_class_accuracy(labels, scores)
    return show.per_class_accuracy(accuracy, [f"digit {d}" for d in range(10)])


@_chart(
    "evaluation-model-summary",
    "Evaluating a model: the model summary",
    _DIGITS,
    "show.model_summary(model, input_shape=(64,)): output shapes found on PyTorch's meta "
    "device (nothing computed, the model untouched); the totals equal "
    "sum(p.numel() for p in model.parameters()).",
    _EVALUATION,
)
def _evaluation_model_summary() -> Output:
    from tfvis import show

    model, _, _ = _digits_model()
    return show.model_summary(model, input_shape=(64,))


@_chart(
    "evaluation-layer-weights",
    "Evaluating a model: the first layer's weights",
    _DIGITS,
    "show.layer(model[0]): one row per weight with its range and the zeros, NaNs and "
    "infinities tfjs-vis counts.",
    _EVALUATION,
)
def _evaluation_layer_weights() -> Output:
    from tfvis import show

    model, _, _ = _digits_model()
    return show.layer(model[0])  # type: ignore[index]


@_chart(
    "evaluation-weight-distribution",
    "Evaluating a model: the distribution of the first layer's weights",
    _DIGITS,
    "show.values_distribution(model[0].weight): a histogram 150 pixels high with the "
    "statistics table; the parameter is read without touching its gradient.",
    _EVALUATION,
)
def _evaluation_weight_distribution() -> Output:
    from tfvis import show

    model, _, _ = _digits_model()
    return show.values_distribution(model[0].weight, width=500)  # type: ignore[index]


# ------------------------------------------------------- training curves (issue #11)


@_chart(
    "training-curves",
    "Training curves: show.history",
    "synthetic (generated in numpy): a 40-epoch history with noise, no model trained",
    "One panel per metric with val_X beside X, the same colour per role in every panel; "
    "the accuracy panel is 0..1 without clipping the loss panel; TensorBoard smoothing "
    "over faint raw lines; the best value of each series marked with its epoch.",
)
def _training_curves() -> Chart:
    from tfvis import show

    rng = np.random.default_rng(11)
    epochs = np.arange(40)
    noise = rng.normal(1.0, 0.04, (4, 40))
    overfit = 0.01 * np.maximum(epochs - 15, 0) ** 1.3
    history = {
        "loss": (1.9 * np.exp(-epochs / 7) + 0.12) * noise[0],
        "val_loss": (1.9 * np.exp(-epochs / 8) + 0.3 + overfit) * noise[1],
        "accuracy": np.minimum(0.98 - 0.75 * np.exp(-epochs / 6) * noise[2], 1.0),
        "val_accuracy": np.minimum(
            0.92 - 0.75 * np.exp(-epochs / 7) * noise[3] - 0.002 * np.maximum(epochs - 18, 0),
            1.0,
        ),
    }
    return show.history({k: v.tolist() for k, v in history.items()}, smoothing=0.5)


# ------------------------------------------------- inside a convnet (issue #13)

_CONVNET = (
    "scikit-learn's bundled digits upsampled to 16x16; a small PyTorch convnet trained on "
    "first use and cached (tfvis._demo.convnet)"
)
_INTERNALS = ("sklearn", "torch")


def _convnet_digit() -> tuple[object, np.ndarray]:
    from tfvis._demo import convnet

    images, _ = convnet.digits()
    return convnet.torch_model(), images[convnet.TRAIN : convnet.TRAIN + 1, None]


@_chart(
    "internals-activations",
    "Inside a convnet: internal activations (listing 7.8)",
    _CONVNET,
    "show.activations(model, x, layers, filters=8): the input with the top classes, then "
    "one row per convolution, each filter its own tile, scaled on its own range.",
    _INTERNALS,
)
def _internals_activations() -> Output:
    from tfvis import show

    model, x = _convnet_digit()
    return show.activations(model, x, ["features.0", "features.2", "features.5"], filters=8)


@_chart(
    "internals-max-activation",
    "Inside a convnet: inputs that excite each filter most (listing 7.9)",
    _CONVNET,
    "show.max_activation(model, 'features.5', 8, input_shape=(1, 16, 16)): 80 steps of "
    "gradient ascent in input space, the eight filters in one batch.",
    _INTERNALS,
)
def _internals_max_activation() -> Output:
    from tfvis import show

    model, _ = _convnet_digit()
    return show.max_activation(model, "features.5", 8, input_shape=(1, 16, 16))


@_chart(
    "internals-cam",
    "Inside a convnet: Grad-CAM of the predicted class and of an unlikely one",
    _CONVNET,
    "show.cam(model, x) and show.cam(model, x, class_index=6): the class activation map "
    "over the digit; a class the model did not choose highlights other parts (the "
    "book's exercise 3).",
    _INTERNALS,
)
def _internals_cam() -> Output:
    from tfvis import hconcat, show

    model, x = _convnet_digit()
    return hconcat(
        show.cam(model, x, title="predicted class"),
        show.cam(model, x, class_index=6, title="class 6"),
    )


# -------------------------------------------------------------------------- build


def build(
    out: str | Path,
    *,
    entries: Sequence[Entry] | None = None,
    log: Callable[[str], None] = print,
) -> GalleryResult:
    """Render every entry, write ``<slug>.png`` for each and one ``index.html``.

    Parameters
    ----------
    out
        Output folder; created if missing. Existing files of the same name are replaced.
    entries
        The charts to draw; :func:`default_entries` when None.
    log
        Receives one progress line per chart.

    Returns
    -------
    GalleryResult

    Raises
    ------
    DemoError
        After writing the page (failed charts show their error there) if any chart
        could not be drawn or written.
    """
    started = time.perf_counter()
    chosen = list(default_entries() if entries is None else entries)
    _check_slugs(chosen)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    outcomes = []
    for number, entry in enumerate(chosen, start=1):
        outcome = _run(entry, folder)
        outcomes.append(outcome)
        log(_progress_line(number, len(chosen), outcome))
    # A partial run (--only) into an earlier gallery: the pictures of charts this page
    # no longer lists would be stale. Only files named after gallery charts are removed.
    drawn = {e.slug for e in chosen}
    for entry in default_entries():
        if entry.slug not in drawn:
            (folder / f"{entry.slug}.png").unlink(missing_ok=True)
    index = folder / "index.html"
    index.write_text(page(outcomes), encoding="utf-8")
    _write_visor(folder / VISOR_PAGE, outcomes, log)
    result = GalleryResult(index, tuple(outcomes), time.perf_counter() - started)
    if result.failed:
        names = ", ".join(o.entry.slug for o in result.failed)
        raise DemoError(f"{len(result.failed)} of {len(chosen)} gallery charts failed: {names}")
    return result


def _write_visor(path: Path, outcomes: Sequence[Outcome], log: Callable[[str], None]) -> None:
    """The same charts as a visor report in tabs, with a model evaluation (``report``)."""
    from tfvis._demo import report

    started = time.perf_counter()
    try:
        saved = report.build_visor(outcomes).save(path)
    except Exception as error:
        raise DemoError(f"the visor page {path} failed: {type(error).__name__}: {error}") from error
    log(f"visor page: {saved} ({time.perf_counter() - started:.1f} s)")


def _check_slugs(entries: Iterable[Entry]) -> None:
    seen: set[str] = set()
    for entry in entries:
        if entry.slug in seen or not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", entry.slug):
            raise DemoError(f"gallery slug {entry.slug!r} is repeated or not [a-z0-9-]")
        seen.add(entry.slug)


def _run(entry: Entry, folder: Path) -> Outcome:
    outcome = Outcome(entry)
    missing = [m for m in entry.needs if importlib.util.find_spec(m) is None]
    if missing:
        outcome.skipped = f"needs {', '.join(missing)} (pip install {' '.join(missing)})"
        return outcome
    started = time.perf_counter()
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", DownsampleWarning)
            chart = entry.make()
        outcome.png = chart.save(folder / f"{entry.slug}.png")
        outcome.chart = chart
        outcome.reductions = _reductions(chart)
        for warning in caught:
            if issubclass(warning.category, DownsampleWarning):
                outcome.warnings.append(f"{warning.category.__name__}: {warning.message}")
            else:
                warnings.warn_explicit(
                    warning.message, warning.category, warning.filename, warning.lineno
                )
    except Exception as error:
        outcome.error = f"{type(error).__name__}: {error}"
    outcome.seconds = time.perf_counter() - started
    return outcome


def _reductions(chart: Output) -> list[str]:
    """Read the point-budget notes tfvis records in the spec's usermeta."""
    if not isinstance(chart, Chart):
        return []
    notes = chart.to_dict().get("usermeta", {}).get("tfvis", {}).get("downsample", [])
    return [
        f"{n['series']}: {n['original']:,} points drawn as {n['kept']:,} ({n['method']})"
        for n in notes
    ]


def _progress_line(number: int, total: int, outcome: Outcome) -> str:
    head = f"[{number:>{len(str(total))}}/{total}] {outcome.entry.slug:<24}"
    if outcome.skipped:
        return f"{head} skipped: {outcome.skipped}"
    if outcome.error:
        return f"{head} FAILED: {outcome.error}"
    line = f"{head} {outcome.seconds:5.1f} s  {outcome.png}"
    return "\n".join([line, *(f"{'':8}reduced {r}" for r in outcome.reductions)])


# --------------------------------------------------------------------------- page


def page(outcomes: Sequence[Outcome]) -> str:
    """The offline gallery page: one section per outcome, the Vega bundle once."""
    drawn = sum(o.chart is not None for o in outcomes)
    contents = "\n".join(
        f'<li><a href="#entry-{o.entry.slug}">{_page.escape(o.entry.title)}</a></li>'
        for o in outcomes
    )
    intro = (
        f"<p>tfvis {_page.escape(tfvis.__version__)}: {drawn} charts, drawn in this page with "
        "no network. Every chart is also saved beside this page as a PNG.</p>\n"
        f'<p>The same charts in tabs, with a model evaluation: <a href="{VISOR_PAGE}">'
        "the visor report</a>.</p>\n"
        f'<ol class="contents">\n{contents}\n</ol>'
    )
    return _page.build(
        [_section(o) for o in outcomes],
        title="tfvis gallery",
        heading="tfvis gallery",
        intro_markup=intro,
        width="920px",
    )


def _section(outcome: Outcome) -> _page.Section:
    entry = outcome.entry
    slug = entry.slug
    intro = (f"Data: {entry.source}", entry.caption)
    if outcome.chart is not None:
        shown = outcome.chart
        item = _page.Item(
            spec_json=shown.to_json() if isinstance(shown, Chart) else None,
            markup=shown._markup() if isinstance(shown, Table) else None,
            key=f"chart-{slug}",
            notes=(
                *outcome.warnings,
                *(f"Recorded in the spec: {r}" for r in outcome.reductions),
            ),
            markup_after=f'<p class="files"><a href="{slug}.png">{slug}.png</a></p>',
        )
    elif outcome.skipped:
        item = _page.Item(
            markup=f'<p class="skipped">Skipped: this chart {_page.escape(outcome.skipped)}.</p>'
        )
    else:
        item = _page.Item(
            markup=f'<pre class="failed">Failed: {_page.escape(outcome.error or "")}</pre>'
        )
    return _page.Section(items=(item,), heading=entry.title, intro=intro, anchor=f"entry-{slug}")
