"""How long the charts take to draw, and how large they are.

The first chart of a process pays for importing matplotlib (the bot does not import it at
start); after that each chart is drawn in a fresh Figure. Prints the first chart's time, then
p50 and p95 over many charts of a unit's progress (10 indicators), the province's progress
(all 37 indicators) and a cluster's ranking (30 units), with their PNG size in pixels and KiB.
The processor time of one chart is printed too: on a machine shared with other work the wall
time says more about the neighbours than about the chart.

    .venv/bin/python -m bench.chart_bench [--rounds 20]
"""

import argparse
import io
import statistics
import time
from collections.abc import Callable

from PIL import Image

from handlers.charts import progress_chart, ranking_chart


def unit_progress() -> bytes:
    rows = [(f"{n}. Chỉ tiêu số {n} của phường", 35.0 + 9 * n) for n in range(1, 10)]
    return progress_chart("Phường Sa Pa — tiến độ tháng 9/2025", [*rows, ("Tỷ lệ hộ nghèo", None)])


def province_progress() -> bytes:
    rows = [(f"{n}. Chỉ tiêu số {n} của tỉnh Lào Cai", 20.0 + 4 * n) for n in range(1, 38)]
    return progress_chart("Tỉnh Lào Cai — 28 chỉ tiêu", rows)


def cluster_ranking() -> bytes:
    rows = [(f"{n}. Xã số {n} vùng cao", 95.0 - 1.5 * n, n == 7) for n in range(1, 31)]
    return ranking_chart("Cụm các xã vùng cao — xếp hạng", rows)


def milliseconds(draw: Callable[[], bytes]) -> tuple[float, float, bytes]:
    """Wall and processor milliseconds of one chart, and the chart."""
    started, processor = time.perf_counter(), time.process_time()
    png = draw()
    return (time.perf_counter() - started) * 1000, (time.process_time() - processor) * 1000, png


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    rounds = parser.parse_args().rounds
    first, _, _ = milliseconds(unit_progress)
    print(f"first chart of the process (imports matplotlib): {first:.0f} ms")
    for name, draw in (
        ("unit progress, 10 rows", unit_progress),
        ("province progress, 37 rows", province_progress),
        ("cluster ranking, 30 rows", cluster_ranking),
    ):
        times, processor, png = [], [], b""
        for _ in range(rounds):
            elapsed, used, png = milliseconds(draw)
            times.append(elapsed)
            processor.append(used)
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        with Image.open(io.BytesIO(png)) as picture:
            width, height = picture.size
        print(
            f"{name}: p50 {statistics.median(times):.0f} ms, p95 {p95:.0f} ms "
            f"(processor p50 {statistics.median(processor):.0f} ms); "
            f"{width}×{height} px, {len(png) / 1024:.0f} KiB"
        )


if __name__ == "__main__":
    main()
