# Search: the index must exist; options are checked; an empty archive finds nothing, politely.
init --isil DE-MS123 --name "Stadtarchiv Musterstadt"
search Müller
index --today 2026-11-26
search Müller
search Müller --level Regal
search Müller --sort alphabet
search Müller --within "Z 1"
