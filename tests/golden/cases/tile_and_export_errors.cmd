# Tile pyramids and the IIIF export: every mistake is named before any work starts.
tile
tile nowhere.tif "$FINDBUCH_ARCHIVE/../tiles"
tile demo/tektonik.xml "$FINDBUCH_ARCHIVE/../tiles"
tile nowhere.tif "$FINDBUCH_ARCHIVE/../tiles" --layout zoomify
tile nowhere.tif "$FINDBUCH_ARCHIVE/../tiles" --quality 0
tile nowhere.tif "$FINDBUCH_ARCHIVE/../tiles.tif" --layout ptif --tile-size 100
tile nowhere.tif "$FINDBUCH_ARCHIVE/../tiles" --layout dz --tile-size 64 --overlap 40
tile nowhere.tif "$FINDBUCH_ARCHIVE/../tiles" --max-height 2000
tile nowhere.tif "$FINDBUCH_ARCHIVE/../tiles" --max-width 400
export
export pdf --out "$FINDBUCH_ARCHIVE/../site"
export iiif
init --isil DE-MS123 --name "Stadtarchiv Musterstadt"
export iiif --out "$FINDBUCH_ARCHIVE/../site"
export iiif --out "$FINDBUCH_ARCHIVE/../site" --bestand "Z 99"
