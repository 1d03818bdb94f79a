"""Write N synthetic plan versions shaped like the seed (see synthetic.py).

    python bench/generate.py N --out DIR [--start 0]

Each plan-NNNN.txt gets a plan-NNNN.meta.toml beside it with its own version date, so
`plangraph build --source DIR/*.txt` builds N named graphs.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from synthetic import generate


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("count", type=int)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--start", type=int, default=0, help="index of the first plan (default 0)")
    args = ap.parse_args()
    paths = generate(args.count, args.out, start=args.start)
    print(f"wrote {len(paths)} plans to {args.out} ({paths[0].name} … {paths[-1].name})")


if __name__ == "__main__":
    main()
