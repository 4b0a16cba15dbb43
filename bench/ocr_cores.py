"""What the OCR engine gets from a borrowed core, and what two engines on two cores cost each other, in process.

``python -m bench.ocr_cores`` times the five ocr-burst pages (each recognised once as a warm-up):

1. one engine on its own thread (the workers' engine when every core is busy);
2. the same engine with core leases while nothing else holds one (every model run borrows the other core), with
   batches of line crops run as two halves at once (the engine's way) and on a session with twice the threads;
3. two processes at once, each with an engine on its own thread, against one such process alone.

Run it on an otherwise idle machine: the numbers are wall and CPU seconds per image.
"""

import multiprocessing
import os
import tempfile
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")


def _pages():
    from apps.ocr.imaging import open_image
    from bench.scenarios.ocr_burst import originals

    return [open_image(data) for data in originals()]


def _time(engine, pages, start_at: float = 0.0) -> tuple[float, float]:
    """Wall and CPU seconds per page, after one warm-up pass and (if given) at ``start_at`` on the wall clock."""
    for page in pages:
        engine.recognize(page)
    while time.time() < start_at:
        time.sleep(0.001)
    wall, cpu = time.perf_counter(), time.process_time()
    for page in pages:
        engine.recognize(page)
    return (time.perf_counter() - wall) / len(pages), (time.process_time() - cpu) / len(pages)


def _narrow_in_child(start_at: float, queue) -> None:
    import django

    django.setup()
    from apps.ocr.engines.onnx import OnnxEngine

    _, cpu = _time(OnnxEngine(threads=1), _pages(), start_at)
    queue.put(cpu)


def _together(processes: int) -> list[float]:
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    start_at = time.time() + 30  # after every child has loaded its engine and warmed up
    children = [ctx.Process(target=_narrow_in_child, args=(start_at, queue)) for _ in range(processes)]
    for child in children:
        child.start()
    results = [queue.get() for _ in children]
    for child in children:
        child.join()
    return results


def main() -> None:
    import django

    django.setup()
    from apps.ocr.engines.cores import CoreLeases
    from apps.ocr.engines.onnx import OnnxEngine

    pages = _pages()
    wall, cpu = _time(OnnxEngine(threads=1), pages)
    print(f"one thread:                  {wall:.2f} s per image, {cpu:.2f} CPU-s")
    with tempfile.TemporaryDirectory() as folder:
        leases = CoreLeases(folder, os.cpu_count() or 1)
        wall_b, cpu_b = _time(OnnxEngine(threads=1, leases=leases), pages)
    print(f"borrowing a free core:       {wall_b:.2f} s per image, {cpu_b:.2f} CPU-s ({wall / wall_b:.2f}x faster)")
    with tempfile.TemporaryDirectory() as folder:
        engine = OnnxEngine(threads=1, leases=CoreLeases(folder, os.cpu_count() or 1))
        for session in engine._sessions():
            session.halves = False
        wall_w, cpu_w = _time(engine, pages)
    print(f"  batches on twice the threads instead of in halves: {wall_w:.2f} s per image, {cpu_w:.2f} CPU-s "
          f"({wall / wall_w:.2f}x faster)")  # fmt: skip
    alone = _together(1)[0]
    pair = _together(2)
    print(f"one process alone:           {alone:.2f} CPU-s per image")
    print(f"two processes at once:       {', '.join(f'{c:.2f}' for c in pair)} CPU-s per image "
          f"({max(pair) / alone:.2f}x)")  # fmt: skip


if __name__ == "__main__":
    main()
