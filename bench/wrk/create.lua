-- POST /images with the caller's key; the model path picks the stub's answer (see Bench.java)
local model = os.getenv("BENCH_MODEL") or "black-forest-labs/flux-schnell"
local prefer = os.getenv("BENCH_PREFER")
wrk.method = "POST"
wrk.body = '{"model": "' .. model .. '", "prompt": "a lighthouse at dawn, watercolour"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer bench-caller-key"
if prefer then wrk.headers["Prefer"] = prefer end
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")
