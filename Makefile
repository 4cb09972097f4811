# The two commands of the README: `make serve` and `make test`. Each installs what is missing,
# configures, builds, then serves or tests.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= 2
CMAKE_FLAGS ?=

.PHONY: deps configure build test serve bench clean

deps:
	@packaging/deps.sh

$(BUILD_DIR)/build.ninja: CMakeLists.txt
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_FLAGS)

configure: deps $(BUILD_DIR)/build.ninja

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS) --timeout 600

serve: build
	$(BUILD_DIR)/bin/weft serve

bench: build
	tests/bench/run.sh $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR)
