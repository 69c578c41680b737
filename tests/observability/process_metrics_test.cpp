#include "pipeline/process_metrics.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace nimbus::metrics {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

double unix_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// A temporary directory laid out like /proc/<pid> plus /proc/stat, removed at the end of the test.
class fake_proc {
 public:
  fake_proc() {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = fs::temp_directory_path() /
            ("nimbus_fake_proc_" + std::to_string(::getpid()) + "_" + test->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "self" / "fd");
  }
  ~fake_proc() { fs::remove_all(root_); }

  void write(const std::string& relative, const std::string& text) const {
    std::ofstream(root_ / relative) << text;
  }

  proc_source source() const {
    return {root_ / "self", root_ / "stat", /*clock_ticks_per_second=*/100,
            /*page_size_bytes=*/4096};
  }

  // A complete tree: 2.5 s user + 1.25 s system CPU, started 30 s after a boot at 1700000000.
  void write_typical() const {
    write("self/stat",
          "4242 (nimbus (worker) x) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 125 0 0 20 0 9 0 "
          "3000 104857600 2560 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n");
    write("self/statm", "25600 2560 512 100 0 3000 0\n");
    write("self/limits",
          "Limit                     Soft Limit           Hard Limit           Units     \n"
          "Max cpu time              unlimited            unlimited            seconds   \n"
          "Max open files            1024                 1048576              files     \n");
    write("stat", "cpu  1 2 3 4\nbtime 1700000000\nprocesses 99\n");
    for (const char* fd : {"0", "1", "2"}) {
      write(std::string("self/fd/") + fd, "");
    }
  }

 private:
  fs::path root_;
};

TEST(ProcessStats, ParsesFakeProcTree) {
  fake_proc proc;
  proc.write_typical();

  const process_stats stats = read_process_stats(proc.source());

  EXPECT_THAT(stats.errors, ::testing::IsEmpty());
  EXPECT_EQ(stats.cpu_seconds, 3.75);
  EXPECT_EQ(stats.start_time_seconds, 1700000030.0);
  EXPECT_EQ(stats.virtual_memory_bytes, 25600.0 * 4096);
  EXPECT_EQ(stats.resident_memory_bytes, 2560.0 * 4096);
  EXPECT_EQ(stats.max_fds, 1024.0);
  EXPECT_EQ(stats.open_fds, 3.0);
}

TEST(ProcessStats, UnlimitedOpenFilesIsInfinity) {
  fake_proc proc;
  proc.write_typical();
  proc.write("self/limits",
             "Max open files            unlimited            unlimited            files\n");

  const process_stats stats = read_process_stats(proc.source());

  ASSERT_TRUE(stats.max_fds.has_value());
  EXPECT_TRUE(std::isinf(*stats.max_fds));
}

TEST(ProcessStats, MissingFilesLeaveValuesEmptyAndNamePaths) {
  fake_proc proc;
  fs::remove(proc.source().process_dir / "fd");

  const process_stats stats = read_process_stats(proc.source());

  EXPECT_FALSE(stats.cpu_seconds);
  EXPECT_FALSE(stats.start_time_seconds);
  EXPECT_FALSE(stats.resident_memory_bytes);
  EXPECT_FALSE(stats.virtual_memory_bytes);
  EXPECT_FALSE(stats.max_fds);
  EXPECT_FALSE(stats.open_fds);
  EXPECT_THAT(stats.errors, ::testing::Contains(HasSubstr("self/stat")));
  EXPECT_THAT(stats.errors, ::testing::Contains(HasSubstr("self/statm")));
  EXPECT_THAT(stats.errors, ::testing::Contains(HasSubstr("self/limits")));
  EXPECT_THAT(stats.errors, ::testing::Contains(HasSubstr("self/fd")));
}

TEST(ProcessStats, TruncatedStatIsReported) {
  fake_proc proc;
  proc.write_typical();
  proc.write("self/stat", "4242 (nimbus) S 1 4242\n");

  const process_stats stats = read_process_stats(proc.source());

  EXPECT_FALSE(stats.cpu_seconds);
  EXPECT_FALSE(stats.start_time_seconds);
  EXPECT_TRUE(stats.resident_memory_bytes);
  EXPECT_THAT(stats.errors, ::testing::ElementsAre(HasSubstr("fields after the command name")));
}

TEST(ProcessStats, MissingBootTimeIsReported) {
  fake_proc proc;
  proc.write_typical();
  proc.write("stat", "cpu  1 2 3 4\n");

  const process_stats stats = read_process_stats(proc.source());

  EXPECT_TRUE(stats.cpu_seconds);
  EXPECT_FALSE(stats.start_time_seconds);
  EXPECT_THAT(stats.errors, ::testing::ElementsAre(HasSubstr("btime")));
}

TEST(ProcessStats, NonNumericStatmIsReported) {
  fake_proc proc;
  proc.write_typical();
  proc.write("self/statm", "lots many\n");

  const process_stats stats = read_process_stats(proc.source());

  EXPECT_FALSE(stats.resident_memory_bytes);
  EXPECT_FALSE(stats.virtual_memory_bytes);
  EXPECT_THAT(stats.errors, ::testing::ElementsAre(HasSubstr("statm")));
}

TEST(ProcessStats, ReadsOwnProcess) {
  const process_stats stats = read_process_stats();

  EXPECT_THAT(stats.errors, ::testing::IsEmpty());
  ASSERT_TRUE(stats.resident_memory_bytes);
  ASSERT_TRUE(stats.virtual_memory_bytes);
  ASSERT_TRUE(stats.cpu_seconds);
  ASSERT_TRUE(stats.open_fds);
  ASSERT_TRUE(stats.max_fds);
  ASSERT_TRUE(stats.start_time_seconds);
  EXPECT_GT(*stats.resident_memory_bytes, 0);
  EXPECT_GE(*stats.virtual_memory_bytes, *stats.resident_memory_bytes);
  EXPECT_GE(*stats.cpu_seconds, 0);
  EXPECT_GE(*stats.open_fds, 3);  // stdin, stdout and stderr at least
  EXPECT_GT(*stats.max_fds, *stats.open_fds);
}

TEST(ProcessStats, StartTimeIsRecentAndNotInFuture) {
  const double now = unix_now();

  const process_stats stats = read_process_stats();

  ASSERT_TRUE(stats.start_time_seconds);
  // btime has whole-second resolution, so the start time may read up to a second late.
  EXPECT_LE(*stats.start_time_seconds, now + 1.0);
  EXPECT_GT(*stats.start_time_seconds, now - 600.0) << "this test binary started over 10 min ago";
}

TEST(ProcessStats, OpenFdsGrowWhenFilesOpen) {
  const double before = read_process_stats().open_fds.value_or(-1);

  std::vector<std::unique_ptr<std::FILE, int (*)(std::FILE*)>> files;
  for (int i = 0; i < 3; ++i) {
    files.emplace_back(std::fopen("/dev/null", "r"), &std::fclose);
    ASSERT_NE(files.back(), nullptr);
  }
  const double during = read_process_stats().open_fds.value_or(-1);
  files.clear();
  const double after = read_process_stats().open_fds.value_or(-1);

  EXPECT_EQ(during, before + 3);
  EXPECT_EQ(after, before);
}

TEST(ProcessStats, CpuSecondsGrowWithWork) {
  const double before = read_process_stats().cpu_seconds.value_or(-1);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);

  // Burn CPU until procfs reports at least one more clock tick, or give up at the deadline.
  double after = before;
  volatile double sink = 0;
  while (after <= before && std::chrono::steady_clock::now() < deadline) {
    for (int i = 0; i < 1'000'000; ++i) {
      sink = sink + std::sqrt(static_cast<double>(i));
    }
    after = read_process_stats().cpu_seconds.value_or(-1);
  }

  EXPECT_GT(after, before);
}

TEST(ProcessMetrics, RefreshExportsSixFamilies) {
  registry metrics;
  process_metrics process(metrics);

  EXPECT_THAT(process.refresh(), ::testing::IsEmpty());

  const std::string text = metrics.render();
  EXPECT_THAT(text, HasSubstr("# TYPE process_cpu_seconds_total counter\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE process_resident_memory_bytes gauge\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE process_virtual_memory_bytes gauge\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE process_open_fds gauge\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE process_max_fds gauge\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE process_start_time_seconds gauge\n"));
  EXPECT_THAT(text, ::testing::Not(HasSubstr("\nprocess_resident_memory_bytes 0\n")));
}

TEST(ProcessMetrics, UpdateKeepsLastValueForMissingReading) {
  registry metrics;
  fake_proc proc;
  proc.write_typical();
  process_metrics process(metrics, proc.source());
  ASSERT_THAT(process.refresh(), ::testing::IsEmpty());

  process_stats partial;
  partial.open_fds = 8;
  process.update(partial);

  const std::string text = metrics.render();
  EXPECT_THAT(text, HasSubstr("\nprocess_open_fds 8\n"));
  EXPECT_THAT(text, HasSubstr("\nprocess_max_fds 1024\n"));
  EXPECT_THAT(text, HasSubstr("\nprocess_cpu_seconds_total 3.75\n"));
}

TEST(ProcessMetrics, RenderHookRefreshesOnScrape) {
  registry metrics;
  fake_proc proc;
  proc.write_typical();
  auto process = std::make_shared<process_metrics>(metrics, proc.source());
  metrics.add_render_hook([process] { process->refresh(); });

  EXPECT_THAT(metrics.render(), HasSubstr("\nprocess_open_fds 3\n"));
  proc.write("self/fd/3", "");
  EXPECT_THAT(metrics.render(), HasSubstr("\nprocess_open_fds 4\n"));
}

}  // namespace
}  // namespace nimbus::metrics
