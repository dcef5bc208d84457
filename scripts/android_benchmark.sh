#!/usr/bin/env bash
# Table 5 on a phone: the paper's settings (TFLite benchmark_model, 50 runs, CPU with 4 threads, and GPU).
# Needs: adb with a device attached, and the benchmark_model binary for the phone's ABI, built or downloaded per
# https://ai.google.dev/edge/litert/models/measurement (not shipped here: this machine cannot fetch it).
# Usage: scripts/android_benchmark.sh path/to/benchmark_model models/*.tflite > android_benchmark.log
# Then:  python -c "from mpox_nbdev.benchmark import parse_benchmark_log; print(parse_benchmark_log(open('android_benchmark.log').read()))"
set -euo pipefail
bin=$1; shift
adb push "$bin" /data/local/tmp/benchmark_model >/dev/null
adb shell chmod +x /data/local/tmp/benchmark_model
device=$(adb shell getprop ro.product.model | tr -d '\r')
for model in "$@"; do
  name=$(basename "$model")
  adb push "$model" "/data/local/tmp/$name" >/dev/null
  for mode in cpu4 gpu; do
    flags="--num_threads=4"; [ "$mode" = gpu ] && flags="--use_gpu=true"
    echo "=== model=$name device=$device mode=$mode"
    adb shell /data/local/tmp/benchmark_model --graph="/data/local/tmp/$name" --num_runs=50 --warmup_runs=5 $flags
  done
done
