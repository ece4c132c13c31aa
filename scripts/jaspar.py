"""Builds src/core/data/jaspar2026-core.json, the default motif database, from JASPAR's SQLite file.

    python3 scripts/jaspar.py <path-to-JASPAR2026.sqlite> <out.json>

The SQLite file is the one the PyPI package pyjaspar 4.0.0 ships (pyjaspar/data/JASPAR2026.sqlite).
What is kept: JASPAR CORE, non-redundant, as JASPAR's own downloads define it: the latest VERSION
of each BASE_ID in the CORE collection. Per matrix: its ID (BASE_ID.VERSION), name, tax group,
structural class (several classes, as heterodimers have, joined by "::" in the database's order;
left out when there is none) and its counts as [A, C, G, T] per position (integers where they are
integral, else rounded to 3 decimals). The JSON is written without indentation, matrices sorted by ID.
Only the standard library: sqlite3 and json.
"""

import json
import sqlite3
import sys

RELEASE = "JASPAR2026"
COLLECTION = "CORE"
CITATION = (
    "Ovek Baydar D, Rauluseviciute I, Aronsen DR, et al. JASPAR 2026: expansion of transcription "
    "factor binding profiles and integration of deep learning models. Nucleic Acids Res. "
    "2026;54(D1):D184-D193. doi:10.1093/nar/gkaf1209. https://jaspar.elixir.no"
)
LICENSE = "JASPAR data can be used with no restrictions (open source); cite JASPAR."
LETTERS = "ACGT"


def number(value):
    """A count as an int when it is integral, else rounded to 3 decimals."""
    if float(value).is_integer():
        return int(value)
    return round(float(value), 3)


def annotations(db, matrix_id, tag):
    """The values of one annotation tag of a matrix, in the database's order."""
    rows = db.execute(
        "SELECT VAL FROM MATRIX_ANNOTATION WHERE ID = ? AND TAG = ? ORDER BY LOCAL_ID",
        (matrix_id, tag),
    ).fetchall()
    return [val for (val,) in rows if val]


def counts(db, matrix_id, name):
    """The matrix as [A, C, G, T] per position; refuses a gap, another letter or an empty column."""
    rows = db.execute("SELECT row, col, val FROM MATRIX_DATA WHERE ID = ?", (matrix_id,)).fetchall()
    width = max((col for _, col, _ in rows), default=0)
    if width == 0:
        sys.exit(f"{name}: the matrix has no data")
    matrix = [[None] * len(LETTERS) for _ in range(width)]
    for letter, col, val in rows:
        if letter not in LETTERS or val is None or val < 0:
            sys.exit(f"{name}: unexpected entry row={letter!r} col={col} val={val!r}")
        matrix[col - 1][LETTERS.index(letter)] = number(val)
    for position, column in enumerate(matrix, 1):
        if None in column or sum(column) <= 0:
            sys.exit(f"{name}: position {position} is incomplete or empty: {column}")
    return matrix


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    source, out = sys.argv[1], sys.argv[2]
    db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    latest = db.execute(
        """SELECT m.ID, m.BASE_ID, m.VERSION, m.NAME FROM MATRIX m
           WHERE m.COLLECTION = ? AND m.VERSION = (
             SELECT MAX(v.VERSION) FROM MATRIX v WHERE v.BASE_ID = m.BASE_ID AND v.COLLECTION = ?)
           ORDER BY m.BASE_ID""",
        (COLLECTION, COLLECTION),
    ).fetchall()
    motifs = []
    for matrix_id, base_id, version, name in latest:
        motif_id = f"{base_id}.{version}"
        taxa = annotations(db, matrix_id, "tax_group")
        if len(taxa) != 1:
            sys.exit(f"{motif_id}: expected one tax_group, found {taxa}")
        motif = {"id": motif_id, "name": name, "tax": taxa[0]}
        classes = annotations(db, matrix_id, "class")
        if classes:
            motif["class"] = "::".join(classes)
        motif["counts"] = counts(db, matrix_id, motif_id)
        motifs.append(motif)
    data = {
        "release": RELEASE,
        "collection": COLLECTION,
        "citation": CITATION,
        "license": LICENSE,
        "motifs": motifs,
    }
    with open(out, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    taxa = {}
    for m in motifs:
        taxa[m["tax"]] = taxa.get(m["tax"], 0) + 1
    summary = ", ".join(f"{t} {n}" for t, n in sorted(taxa.items(), key=lambda kv: -kv[1]))
    print(f"{out}: {len(motifs)} matrices ({summary})")


if __name__ == "__main__":
    main()
