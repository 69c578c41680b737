#include "tests/simulator/response.hpp"

#include <algorithm>
#include <string_view>

namespace nimbus::sim {
namespace {

constexpr std::string_view generated_prefix = R"({"padding":")";
constexpr std::string_view generated_suffix = R"("})";

// The byte at `offset` of a generated body of `total_size` bytes.
char generated_byte(std::uint64_t total_size, std::uint64_t offset) {
  if (offset < generated_prefix.size()) {
    return generated_prefix[offset];
  }
  std::uint64_t suffix_start = total_size >= generated_prefix.size() + generated_suffix.size()
                                   ? total_size - generated_suffix.size()
                                   : total_size;
  if (offset >= suffix_start) {
    return generated_suffix[offset - suffix_start];
  }
  return 'x';
}

}  // namespace

response json_response(int status, std::string body) {
  response reply;
  reply.status = status;
  reply.body = std::move(body);
  return reply;
}

response redirect_loop(const std::string& target) {
  response reply;
  reply.status = 302;
  reply.content_type = "text/plain";
  reply.headers.emplace_back("Location", target);
  reply.body = "Found";
  return reply;
}

response large_body(std::uint64_t size_bytes) {
  response reply;
  reply.generated_body_bytes = size_bytes;
  return reply;
}

void generated_body_chunk(std::uint64_t total_size, std::uint64_t offset, std::size_t length,
                          std::string& out) {
  out.assign(length, 'x');

  // Only the first and last few bytes differ from the filler, so patch those instead of deciding
  // every byte of a 64 KiB chunk.
  std::uint64_t end = offset + length;
  std::uint64_t head_end = std::min<std::uint64_t>(end, generated_prefix.size());
  for (std::uint64_t i = offset; i < head_end; ++i) {
    out[i - offset] = generated_byte(total_size, i);
  }
  std::uint64_t tail_start = std::max<std::uint64_t>(
      offset, total_size > generated_suffix.size() ? total_size - generated_suffix.size() : 0);
  for (std::uint64_t i = tail_start; i < end; ++i) {
    out[i - offset] = generated_byte(total_size, i);
  }
}

response hang_response(std::chrono::milliseconds hold) {
  response reply;
  reply.fault_mode = hang{hold};
  return reply;
}

response reset_response() {
  response reply;
  reply.fault_mode = reset_connection{};
  return reply;
}

response drip_response(response reply, std::size_t bytes_per_tick,
                       std::chrono::milliseconds interval) {
  reply.fault_mode = drip{std::max<std::size_t>(bytes_per_tick, 1), interval};
  return reply;
}

response truncated_response(response reply, std::uint64_t body_bytes_sent) {
  reply.fault_mode = close_mid_body{body_bytes_sent};
  return reply;
}

}  // namespace nimbus::sim
