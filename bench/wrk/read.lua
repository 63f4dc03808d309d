-- GET the URL's path with the caller's key
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer bench-caller-key"
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")
