#!/usr/bin/env bash
# Transfer from images into video: one MNIST image CNN per seed (the widths of
# moving-digits-cnn's frame CNN), then the study of bench/video_transfer.yaml:
# a frame CNN from scratch, fine-tuned from the image CNN, or with its stages frozen.
# Usage: bash bench/video_transfer.sh [work folder]   (about 3 min on 2 CPU cores)
set -euo pipefail
WORK=${1:-/tmp/trainlab-video-transfer}
export BASE=$WORK/base
TRAINLAB=${TRAINLAB:-trainlab}
mkdir -p "$BASE"
for seed in 0 1 2; do
  if [ ! -e "$BASE/$seed" ]; then
    $TRAINLAB run digits-cnn -q --set seed=$seed --set data.options.source=mnist \
      --set train.epochs=4 --set 'model.widths=[16,32]' --out-dir "$WORK/images" --name "mnist-$seed"
    ln -sfn "$WORK/images/mnist-$seed" "$BASE/$seed"
  fi
done
sed 's|${BASE}|'"$BASE"'|g' "$(dirname "$0")/video_transfer.yaml" > "$WORK/study.yaml"
$TRAINLAB study "$WORK/study.yaml" --out-dir "$WORK/study" --workers 2
