# Trying pipelines on one image: every mistake is named (file, stage, field, allowed values).
clean
clean nowhere.tif out.jpg
clean demo/tektonik.xml out.jpg
clean demo/tektonik.xml out.gif
clean demo/tektonik.xml out.jpg --pipeline aktn
clean demo/tektonik.xml out.jpg --pipeline tests/golden/fixtures/bad-pipeline.json
clean demo/tektonik.xml out.jpg --pipeline tests/golden/fixtures/none.json
