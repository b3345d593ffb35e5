#include "imaging/threads.hpp"

#include <opencv2/core.hpp>

namespace findbuch {

void set_kernel_threads(int threads) {
  cv::setNumThreads(threads);
}

}  // namespace findbuch
