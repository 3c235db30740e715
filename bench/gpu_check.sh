#!/usr/bin/env bash
# GPU check: the CUDA tests, the default recipe on the GPU, the trainer
# overhead (eager and with a compiled step), augmentation, audio and transfer
# benchmarks, and time to 94% on Fashion-MNIST, on the GPU. Expects trainlab's Python dependencies
# importable (or wheels in .whl/) and writes its logs to $OUT (default: gpu-out/).
set -euo pipefail
OUT=${OUT:-gpu-out}
mkdir -p "$OUT"
if compgen -G ".whl/*.whl" >/dev/null; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
    --target /tmp/site .whl/*.whl
  export PYTHONPATH=/tmp/site:$PWD/src
fi
export PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv | tee "$OUT/gpu.txt"
python3 -c "import torch; print('torch', torch.__version__)" | tee -a "$OUT/gpu.txt"
python3 -m pytest -q -p no:cacheprovider -m gpu tests/engine/test_gpu.py tests/preprocess/audio/test_frontend.py \
  2>&1 | tee "$OUT/tests.txt"
python3 -m trainlab.cli run digits-cnn -q --out-dir /tmp/gpu-runs --set train.device=cuda \
  2>&1 | tee "$OUT/run.txt"
python3 bench/trainer_overhead.py --device cuda --epochs 5 --repeats 9 2>&1 | tee "$OUT/bench.txt"
python3 bench/trainer_overhead.py --device cuda --recipe mnist1d-cnn --epochs 10 --repeats 9 2>&1 | tee -a "$OUT/bench.txt"
# the compiled step (CUDA graphs) against the eager hand-written loop
python3 bench/trainer_overhead.py --device cuda --epochs 5 --repeats 9 --compile reduce-overhead 2>&1 | tee -a "$OUT/bench.txt"
# time to accuracy: the default digits recipe, and Fashion-MNIST to 94%. The Fashion-MNIST
# files come from Debian's dataset-fashion-mnist, or from .data/fashion-mnist (`make gpu-data`
# copies them there, 30 MB, to carry to a machine without the package)
if [ -z "${TRAINLAB_FASHION_MNIST:-}" ] && [ -d .data/fashion-mnist ]; then
  export TRAINLAB_FASHION_MNIST=$PWD/.data/fashion-mnist
fi
# (each bounded, so that the script ends within a short device lease whatever the GPU)
timeout 120 python3 bench/time_to_accuracy.py --recipe digits-cnn --device cuda --target 0.97 2>&1 | tee "$OUT/time-to-accuracy.txt" || true
timeout 180 python3 bench/time_to_accuracy.py --recipe fashion-mnist-speedrun --device cuda 2>&1 | tee -a "$OUT/time-to-accuracy.txt" || true
timeout 180 python3 bench/time_to_accuracy.py --recipe fashion-mnist-speedrun --device cuda --compile reduce-overhead 2>&1 | tee -a "$OUT/time-to-accuracy.txt" || true
python3 -m pytest -q -p no:cacheprovider tests/augment/image/test_affine.py tests/augment/test_conformance.py \
  2>&1 | tail -3 | tee "$OUT/augment-tests.txt"
python3 bench/augment.py --device cuda 2>&1 | tee "$OUT/augment-bench.txt"
# transfer: train.device is auto in these tests, so they run on the GPU here
python3 -m pytest -q -p no:cacheprovider tests/engine/transfer 2>&1 | tail -3 | tee "$OUT/transfer-tests.txt"
python3 bench/transfer.py --device cuda --epochs 3 --repeats 7 2>&1 | tee "$OUT/transfer-bench.txt"
# audio: the front end and augmentations against torchaudio (where it imports), and the recipe
python3 bench/audio.py --device cuda 2>&1 | tee "$OUT/audio-bench.txt"
python3 -m trainlab.cli run spoken-digits-cnn -q --out-dir /tmp/gpu-runs --set train.device=cuda \
  2>&1 | tee "$OUT/audio-run.txt"
