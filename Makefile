# trainlab: the two commands of the README, and the set-up they need.
#   make run    the lecture study: its strategies side by side on the embedded digits data
#   make test   run the test suite
# Both create .venv and install trainlab into it on first use.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.trainlab-installed
# the CPU build of PyTorch; set TORCH_SPEC= to keep whatever torch is installed
TORCH_SPEC ?= torch==2.13.0

.PHONY: run test lint bench data gpu-data clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@if [ -n "$(TORCH_SPEC)" ] && ! $(BIN)/python -c "import torch" 2>/dev/null; then \
		$(BIN)/python -m pip install --quiet "$(TORCH_SPEC)"; fi
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@# Ray is optional (studies beyond one machine); its test skips where it does not install
	$(BIN)/python -m pip install --quiet "ray>=2.9" || echo "note: ray did not install; its test will skip"
	@# TensorBoard, MLflow (track.*) and Optuna (trainlab tune) are optional; their tests skip
	@# where they do not install
	$(BIN)/python -m pip install --quiet -e ".[track,tune]" || echo "note: the tracking and tuning extras did not install; their tests will skip"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/trainlab study --workers 2

# Fashion-MNIST comes from Debian's dataset-fashion-mnist, the spoken digits from
# espeak-ng, the text data from fortunes, fortunes-es and wordnet-base, and
# back-translation from apertium-eng-spa, where apt is usable; the tests that need
# them skip (saying why) where it is not. The real video clips (vtest.avi, tree.avi,
# Megamind.avi) are unpacked from opencv-doc into $(OPENCV_DATA), without installing it.
DEBIAN_DATA := dataset-fashion-mnist espeak-ng fortunes fortunes-es wordnet-base apertium-eng-spa
OPENCV_DATA := $(VENV)/opencv-data
data:
	@missing=""; for p in $(DEBIAN_DATA); do \
		dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq $$missing >/dev/null) \
		|| echo "note: could not install$$missing; their tests will skip"; fi
	@if [ ! -d $(OPENCV_DATA) ]; then tmp=$$(mktemp -d); \
		if command -v apt-get >/dev/null \
			&& (cd $$tmp && apt-get download -qq opencv-doc >/dev/null 2>&1); then \
			dpkg-deb --fsys-tarfile $$tmp/opencv-doc_*.deb \
				| tar -x -C $$tmp --wildcards '*/examples/data/*.avi' \
			&& mkdir -p $(OPENCV_DATA).tmp \
			&& mv $$tmp/usr/share/doc/opencv-doc/examples/data/*.avi $(OPENCV_DATA).tmp/ \
			&& mv $(OPENCV_DATA).tmp $(OPENCV_DATA); \
		else echo "note: could not download opencv-doc; the real-clip video tests will skip"; fi; \
		rm -rf $$tmp $(OPENCV_DATA).tmp; fi

# the Fashion-MNIST files beside the code, for bench/gpu_check.sh on a machine without them
gpu-data: data
	mkdir -p .data/fashion-mnist
	cp /usr/share/datasets/fashion-mnist/*.gz .data/fashion-mnist/

test: $(STAMP) data
	$(BIN)/python -m pytest -q
	$(BIN)/ruff check .

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	$(BIN)/python bench/trainer_overhead.py
	$(BIN)/python bench/augment.py
	$(BIN)/python bench/study_parallel.py

clean:
	rm -rf $(VENV) runs .pytest_cache .ruff_cache
