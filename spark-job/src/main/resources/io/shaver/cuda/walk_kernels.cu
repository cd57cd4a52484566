// Kernels of the full-state walks (io.shaver.shapley.FullStateWalker on CudaWalkOps),
// compiled at run time by NVRTC. Every kernel is a grid-stride loop over 64-bit indices, so
// any launch size covers any problem size. Matrices are row-major. Each kernel mirrors one
// method of HostWalkOps, which is the reference tested on the CPU.

// Row b * (D + 1) + t of states is sample b's input with every coordinate removed before
// step t (rank < t) set to its placeholder value.
extern "C" __global__ void build_states(const float* intact, const int* rank,
    const float* placeholder, int samples, int coordinates, float* states) {
  long long width = coordinates;
  long long per_sample = width + 1;
  long long total = (long long) samples * per_sample * width;
  for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < total;
       i += (long long) blockDim.x * gridDim.x) {
    long long row = i / width;
    int c = (int) (i - row * width);
    long long b = row / per_sample;
    int t = (int) (row - b * per_sample);
    long long source = b * width + c;
    states[i] = rank[source] < t ? placeholder[c] : intact[source];
  }
}

// values[r, c] += bias[c], then ReLU if relu != 0.
extern "C" __global__ void add_bias(float* values, const float* bias, int rows, int cols,
    int relu) {
  long long total = (long long) rows * cols;
  for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < total;
       i += (long long) blockDim.x * gridDim.x) {
    int c = (int) (i % cols);
    float value = values[i] + bias[c];
    values[i] = (relu != 0 && value < 0.0f) ? 0.0f : value;
  }
}

// fm[r] = 1/2 sum_j [(sum_f x_fj)^2 - sum_f x_fj^2] over row r of states [rows, fields * dimension],
// in double. One thread per row.
extern "C" __global__ void fm_term(const float* states, int rows, int fields, int dimension,
    double* fm) {
  long long width = (long long) fields * dimension;
  for (long long r = blockIdx.x * (long long) blockDim.x + threadIdx.x; r < rows;
       r += (long long) blockDim.x * gridDim.x) {
    const float* x = states + r * width;
    double square_of_sum = 0.0;
    double squares = 0.0;
    for (int j = 0; j < dimension; j++) {
      double sum = 0.0;
      for (int f = 0; f < fields; f++) {
        double value = x[(long long) f * dimension + j];
        sum += value;
        squares += value * value;
      }
      square_of_sum += sum * sum;
    }
    fm[r] = 0.5 * (square_of_sum - squares);
  }
}

// losses[r] = binary cross-entropy of logit (float) (linear[b] + fm[r] + deep[r]) and
// labels[b], b = r / rows_per_sample, as max(z, 0) - z y + log1p(exp(-|z|)) in double.
extern "C" __global__ void log_loss(const float* deep, const double* fm, const double* linear,
    const float* labels, int rows, int rows_per_sample, double* losses) {
  for (long long r = blockIdx.x * (long long) blockDim.x + threadIdx.x; r < rows;
       r += (long long) blockDim.x * gridDim.x) {
    long long b = r / rows_per_sample;
    float logit = (float) (linear[b] + fm[r] + (double) deep[r]);
    double z = logit;
    double y = labels[b];
    losses[r] = fmax(z, 0.0) - z * y + log1p(exp(-fabs(z)));
  }
}
