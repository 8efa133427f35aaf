#!/usr/bin/env python3
"""Writes the small seed corpora of the fuzz targets (committed; rerun only to change them).

Slices of ../shared/geodata (a few features) and the test fixtures, plus hand-made files for
formats that have no small real example (TopoJSON, xlsx). Run from fuzz/: python3 seeds/make.py
"""
import json, os, struct, zipfile, io, glob

ROOT = os.path.dirname(os.path.abspath(__file__))
CRATE = os.path.dirname(os.path.dirname(ROOT))
SHARED = os.path.join(CRATE, "..", "shared", "geodata")


def put(target, name, data):
    d = os.path.join(ROOT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def join(*parts):
    """Length-prefixed parts, as phare_fuzz::split reads them."""
    out = b""
    for p in parts[:-1]:
        out += struct.pack("<I", len(p)) + p
    return out + parts[-1]


def round_coords(c, nd=3):
    return [round_coords(x, nd) for x in c] if isinstance(c[0], list) else [round(v, nd) for v in c]


# GeoJSON: a few communes (coordinates rounded to keep seeds small), one in Lambert-93.
with open(os.path.join(SHARED, "communes.geojson"), encoding="utf-8") as f:
    feats = json.load(f)["features"]
small = sorted(feats, key=lambda ft: len(json.dumps(ft["geometry"])))[:3]
for ft in small:
    ft["geometry"]["coordinates"] = round_coords(ft["geometry"]["coordinates"])
put("geojson", "communes3", json.dumps({"type": "FeatureCollection", "features": small}))
put("geojson", "feature1", json.dumps(small[0]))
l93 = {"type": "FeatureCollection",
       "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2154"}},
       "features": [{"type": "Feature", "id": "75056", "properties": {"nom": "Paris"},
                     "geometry": {"type": "Polygon", "coordinates": [[[648000, 6860000], [655000, 6860000], [655000, 6866000], [648000, 6860000]]]}}]}
put("geojson", "lambert93", json.dumps(l93))
with open(os.path.join(CRATE, "tests", "fixtures", "load-communes.geojson"), "rb") as f:
    put("geojson", "fixture", f.read())

# TopoJSON: quantized with a transform, and plain arcs.
topo = {"type": "Topology", "transform": {"scale": [0.001, 0.001], "translate": [4.8, 45.7]},
        "objects": {"communes": {"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "arcs": [[0, 1]], "properties": {"code": "69123", "nom": "Lyon"}},
            {"type": "MultiPolygon", "arcs": [[[-2, 2]]], "properties": {"code": "69266", "nom": "Villeurbanne"}}]}},
        "arcs": [[[0, 0], [100, 0], [0, 100]], [[100, 100], [-100, 0], [0, -100]], [[0, 0], [0, 100], [100, 0]]]}
put("topojson", "quantized", json.dumps(topo))
topo2 = {"type": "Topology", "objects": {"d": {"type": "GeometryCollection", "geometries": [
    {"type": "Polygon", "id": "01", "arcs": [[0]], "properties": {"nom": "Ain"}},
    {"type": "Polygon", "id": "02", "arcs": [[1], [2]], "properties": {"nom": "Aisne"}}]}},
    "arcs": [[[5.0, 46.0], [5.5, 46.0], [5.5, 46.5], [5.0, 46.0]],
             [[3.0, 49.0], [4.0, 49.0], [4.0, 50.0], [3.0, 49.0]],
             [[3.2, 49.2], [3.3, 49.3], [3.2, 49.3], [3.2, 49.2]]]}
put("topojson", "plain", json.dumps(topo2))


# Shapefiles: the first records of the shared ones, headers rewritten; and one square.
def shp_slice(base, n):
    shp = open(base + ".shp", "rb").read()
    shx = open(base + ".shx", "rb").read()
    dbf = open(base + ".dbf", "rb").read()
    recs, offs, pos = [], [], 100
    for _ in range(n):
        _, words = struct.unpack(">ii", shp[pos:pos + 8])
        recs.append(shp[pos:pos + 8 + 2 * words])
        pos += 8 + 2 * words
    body, index, off = b"", b"", 50
    for r in recs:
        index += struct.pack(">ii", off, len(r) // 2 - 4)
        off += len(r) // 2
        body += r
    shp_out = shp[:24] + struct.pack(">i", (100 + len(body)) // 2) + shp[28:100] + body
    shx_out = shx[:24] + struct.pack(">i", (100 + len(index)) // 2) + shx[28:100] + index
    header_len, rec_len = struct.unpack("<HH", dbf[8:12])
    dbf_out = dbf[:4] + struct.pack("<I", n) + dbf[8:header_len] + dbf[header_len:header_len + n * rec_len] + b"\x1a"
    return shp_out, shx_out, dbf_out


def square():
    pts = [(0.0, 0.0), (0.0, 1.0), (1.0, 1.0), (1.0, 0.0), (0.0, 0.0)]
    content = struct.pack("<i4di", 5, 0, 0, 1, 1, 1) + struct.pack("<ii", len(pts), 0) + struct.pack("<i", 0)
    content += b"".join(struct.pack("<2d", *p) for p in pts)
    rec = struct.pack(">ii", 1, len(content) // 2) + content

    def header(length_words):
        return struct.pack(">7i", 9994, 0, 0, 0, 0, 0, length_words) + struct.pack("<2i4d4d", 1000, 5, 0, 0, 1, 1, 0, 0, 0, 0)
    shp = header((100 + len(rec)) // 2) + rec
    shx = header(54) + struct.pack(">ii", 50, len(content) // 2)
    fields = [(b"code", b"C", 5), (b"nom", b"C", 20)]
    rec_len = 1 + sum(f[2] for f in fields)
    head = struct.pack("<BBBBIHH20x", 3, 126, 1, 1, 1, 32 + 32 * len(fields) + 1, rec_len)
    for name, kind, size in fields:
        head += name.ljust(11, b"\0") + kind + b"\0" * 4 + bytes([size, 0]) + b"\0" * 14
    dbf = head + b"\r" + b" " + b"69123" + "Lyon é".encode("cp1252").ljust(20) + b"\x1a"
    return shp, shx, dbf


sq = square()
with open(os.path.join(ROOT, "square.shp"), "wb") as f:
    f.write(sq[0])
with open(os.path.join(ROOT, "square.shx"), "wb") as f:
    f.write(sq[1])
put("shapefile", "square", join(*sq))
put("shapefile", "communes2", join(*shp_slice(os.path.join(SHARED, "communes-wgs84"), 2)))
put("shapefile", "departement1", join(*shp_slice(os.path.join(SHARED, "departements-l93"), 1)))
put("dbf", "square-cp1252", bytes([1]) + sq[2])
put("dbf", "square-nocpg", bytes([9]) + sq[2])
put("dbf", "communes-utf8", bytes([0]) + shp_slice(os.path.join(SHARED, "communes-wgs84"), 2)[2])
put("dbf", "departement-l93", bytes([9]) + shp_slice(os.path.join(SHARED, "departements-l93"), 1)[2])

# CSV: the survey fixtures and the head of the embedded sample; indicators from communes.csv.
for p in glob.glob(os.path.join(CRATE, "tests", "fixtures", "survey-*")):
    put("survey_csv", os.path.basename(p), open(p, "rb").read())
head = b"".join(open(os.path.join(CRATE, "geodata", "sample-maires.csv"), "rb").readlines()[:8])
put("survey_csv", "sample-head", head)
ind = b"".join(open(os.path.join(SHARED, "communes.csv"), "rb").readlines()[:8])
put("indicators_csv", "communes-head", ind)
put("indicators_csv", "semicolon", "codgeo;taux_pauvrete;part_65\n01001;12,5;20,1\n2A004;;18\n75056;15,2;NA\n".encode("cp1252"))


# Points files for lookup --points (the fuzz target's commune is the square 4-6 E, 45-47 N).
put("points_csv", "comma", b"id,lon,lat\n1,5.0,46.0\n2,2.35,48.85\n3,,\n")
put("points_csv", "semicolon", "nom;lat;lon\n\"Lyon; centre\";45,76;4,84\nÉpinal;48,17;6,45\n".encode("cp1252"))
put("points_csv", "tab", b"LON\tLAT\n4.5\t46.5\n91\t200\n")

# xlsx: one stored (uncompressed) workbook, so mutations reach the XML.
def xlsx(rows):
    ns = "http://schemas.openxmlformats.org"
    cells = ""
    for i, row in enumerate(rows, 1):
        cells += f'<row r="{i}">'
        for j, v in enumerate(row):
            at = f"{chr(65 + j)}{i}"
            cells += (f'<c r="{at}"><v>{v}</v></c>' if isinstance(v, (int, float))
                      else f'<c r="{at}" t="inlineStr"><is><t>{v}</t></is></c>')
        cells += "</row>"
    parts = {
        "[Content_Types].xml": f'<Types xmlns="{ns}/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="{ns}/package/2006/relationships"><Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{ns}/spreadsheetml/2006/main" xmlns:r="{ns}/officeDocument/2006/relationships"><sheets><sheet name="Feuil1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{ns}/package/2006/relationships"><Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{ns}/spreadsheetml/2006/main"><sheetData>{cells}</sheetData></worksheet>',
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        for name, xml in parts.items():
            z.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + xml)
    return buf.getvalue()


put("xlsx", "survey", xlsx([["respondent_id", "insee_com", "weight", "q4", "frag_emploi"],
                            ["M1", "69123", 1.5, 1, 7], ["M2", 1001, 2, "oui", 99]]))
put("xlsx", "indicators", xlsx([["codgeo", "taux"], ["69123", 12.5], ["2A004", "n.d."]]))

# Styles: the builtin ones.
for p in glob.glob(os.path.join(CRATE, "styles", "*.toml")):
    put("style_toml", os.path.basename(p), open(p, "rb").read())

# Command-line points and --set pairs.
for i, s in enumerate(["4.8357,45.7640", "45.7640 4.8357", "4,8357;45,7640", "842000,6519000",
                       "-61.5,16.2", "nan,inf", "palette=Blues", "borders.departement.width=1.2",
                       "classes=7", "legend.title=Taux (%)"]):
    put("coords", f"s{i}", s)
