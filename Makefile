# A thin convenience wrapper; .ci/do does the work.
.PHONY: all build demo test bench clean
all build:
	bash .ci/do build
demo:
	bash .ci/do demo
test:
	bash .ci/do test
bench:
	bash .ci/do bench
clean:
	rm -rf build build-asan build-tsan
