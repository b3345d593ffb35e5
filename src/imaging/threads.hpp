#pragma once
// Parallelism inside the image kernels. Batches run one page per worker; there the kernels
// must stay single-threaded or the workers would fight over the cores.
namespace findbuch {

void set_kernel_threads(int threads);

}  // namespace findbuch
