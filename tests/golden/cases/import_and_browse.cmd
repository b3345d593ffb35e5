# A newcomer's first session: create the archive, import the Tektonik and one Findbuch, browse.
init --isil DE-MS123 --name "Stadtarchiv Musterstadt"
import ead demo/tektonik.xml
import ead demo/findbuch-a1.xml --dry-run
import ead demo/findbuch-c563.xml
import ead demo/findbuch-c563.xml
tree --depth 1
tree "C 5.63" --depth 1
show "C 5.63 Nr. 2322"
access "C 5.63 Nr. 2322" --today 2026-11-26
access "C 5.63 Nr. 2322" --today 2046-01-01 --json
