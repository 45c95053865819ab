"""`tribune export_wordpress --uploads` of a site with many files: time, peak memory.

Not a test. Makes a fresh SQLite database in a temporary folder (or uses the
DATABASE_URL given) with N reports, each with an audio player (a 256 KiB
document), a picture and a linked PDF, then runs the real command in a
subprocess and reports its wall time, the child's peak resident memory
(ru_maxrss), the export's size and the files copied.  The export keeps a few
strings per file, so the peak must grow far slower than the files.

Run: PYTHONPATH=. .venv/bin/python bench/export_media.py [--reports 300] [--keep]
"""

import argparse
import io
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from measured import run_measured  # bench/, beside this script

TMP = tempfile.mkdtemp(prefix="tribune-exportbench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tribune.config.settings.dev")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP}/bench.sqlite3")
os.environ.setdefault("TRIBUNE_VAR_DIR", TMP)
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("LOG_LEVEL", "WARNING")

ROOT = Path(__file__).resolve().parents[1]


def make_site(reports: int) -> None:
    from django.core.files.base import ContentFile
    from django.core.files.images import ImageFile
    from PIL import Image
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.rich_text import RichText

    from tribune.newsroom.tests import factories as newsroom

    newsroom.home_page()
    series = newsroom.series("Council")
    documents, images = get_document_model(), get_image_model()
    for n in range(reports):
        audio = documents.objects.create(
            title=f"Interview {n}",
            file=ContentFile(os.urandom(256 * 1024), name=f"interview-{n}.mp3"),
        )
        pdf = documents.objects.create(
            title=f"Minutes {n}", file=ContentFile(b"%PDF-1.4\n" * 400, name="m.pdf")
        )
        buffer = io.BytesIO()
        Image.new("RGB", (320, 200), (n % 255, 90, 140)).save(buffer, format="JPEG")
        picture = images(title=f"Hall {n}", file=ImageFile(buffer, name="hall.jpg"))
        picture.save()
        link = f'<p>The <a linktype="document" id="{pdf.pk}">minutes</a>.</p>'
        newsroom.article(
            in_series=series,
            title=f"Council meeting {n}",
            body=[
                ("paragraph", RichText(link)),
                ("media", {"document": audio, "player": "audio", "caption": "Q&A"}),
                ("figure", {"image": picture, "caption": "The hall", "credit": ""}),
            ],
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=300)
    parser.add_argument("--keep", action="store_true", help="keep the temp folder")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.monotonic()
    make_site(args.reports)
    print(
        f"site: {args.reports} reports, {args.reports * 3} files, "
        f"made in {time.monotonic() - started:.0f} s ({TMP})"
    )

    export, uploads = Path(TMP) / "site.xml", Path(TMP) / "uploads"
    command = [
        sys.executable,
        "-c",
        "from tribune.cli import main; main()",
        "export_wordpress",
        "-o",
        str(export),
        "--uploads",
        str(uploads),
        "--base-url",
        "https://news.example.org/",
    ]
    result, elapsed, peak = run_measured(command)
    print(result.stderr[-2000:])
    copied = [p for p in uploads.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in copied)
    print(
        f"exit {result.returncode}; wall {elapsed:.1f} s; peak RSS {peak:.0f} MiB; "
        f"export {export.stat().st_size / 2**20:.1f} MiB; {len(copied)} files, "
        f"{size / 2**20:.0f} MiB copied; load average {os.getloadavg()}"
    )
    if not args.keep:
        shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
