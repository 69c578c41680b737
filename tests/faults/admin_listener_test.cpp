// The admin listener is reachable only where it is configured: never through the public port, and
// not at all without --admin-listen.
#include <gtest/gtest.h>

#include <dirent.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <tuple>

#include "tests/faults/fault_harness.hpp"

namespace nimbus::faults {
namespace {

const std::vector<std::string> admin_venues = {"binance", "okx", "bybit"};

struct listening_socket {
  std::string address;  // as the kernel prints it: hex, in network byte order per 32-bit word
  std::uint16_t port = 0;

  bool operator<(const listening_socket& other) const {
    return std::tie(port, address) < std::tie(other.port, other.address);
  }
};

// Inodes of the sockets the process has open, from its /proc/<pid>/fd links "socket:[inode]".
std::set<std::string> socket_inodes(pid_t pid) {
  std::set<std::string> inodes;
  std::string directory = "/proc/" + std::to_string(pid) + "/fd";
  DIR* fds = opendir(directory.c_str());
  if (fds == nullptr) {
    return inodes;
  }
  while (dirent* entry = readdir(fds)) {
    char target[PATH_MAX] = {};
    auto length = readlink((directory + "/" + entry->d_name).c_str(), target, sizeof target - 1);
    std::string link(target, length > 0 ? static_cast<std::size_t>(length) : 0);
    if (link.starts_with("socket:[") && link.ends_with("]")) {
      inodes.insert(link.substr(8, link.size() - 9));
    }
  }
  closedir(fds);
  return inodes;
}

// TCP sockets in LISTEN state that belong to the process, from /proc/net/tcp and /proc/net/tcp6.
std::set<listening_socket> listening_sockets(pid_t pid) {
  constexpr std::string_view listen_state = "0A";
  std::set<std::string> inodes = socket_inodes(pid);
  std::set<listening_socket> sockets;
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream file(table);
    std::string line;
    std::getline(file, line);  // column names
    while (std::getline(file, line)) {
      std::istringstream fields(line);
      std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
      fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >>
          timeout >> inode;
      auto colon = local.rfind(':');
      if (state != listen_state || !inodes.contains(inode) || colon == std::string::npos) {
        continue;
      }
      sockets.insert({local.substr(0, colon), static_cast<std::uint16_t>(std::stoul(
                                                  local.substr(colon + 1), nullptr, 16))});
    }
  }
  return sockets;
}

// 127.0.0.1 as /proc/net/tcp prints it on a little-endian machine.
constexpr const char* loopback_hex = "0100007F";

std::string describe(const std::set<listening_socket>& sockets) {
  std::string text;
  for (const auto& socket : sockets) {
    text += socket.address + ":" + std::to_string(socket.port) + " ";
  }
  return text;
}

class AdminListener : public ::testing::Test {
 protected:
  // The listener must come from the command line in these tests, not from the environment.
  void SetUp() override { unsetenv("NIMBUS_ADMIN_LISTEN"); }

  service_settings settings_;
  venue_farm farm_{admin_venues};
};

TEST_F(AdminListener, PublicPortRejectsKill) {
  service_under_test service(settings_, farm_);
  ASSERT_TRUE(service.wait_until_listening()) << service.log_text();
  ASSERT_TRUE(poll_until([&] { return all_venues_used(service, admin_venues); }, 10s))
      << service.log_text();

  for (const char* actor : {"aggregator", "http", "fetcher_okx", "venue_supervisor"}) {
    for (const char* query : {"", "?reason=user"}) {
      std::string path = std::string("/admin/actors/") + actor + "/kill" + query;
      auto reply = e2e::http_request("POST", service.url(path));
      EXPECT_TRUE(reply.status == 404 || reply.status == 405)
          << "POST " << path << " on the public port returned " << reply.status << ": "
          << reply.body;
    }
  }
  auto get_reply = e2e::http_get(service.url("/admin/actors/aggregator/kill"));
  EXPECT_EQ(get_reply.status, 404) << get_reply.body;

  // Had a kill gone through, the aggregator would have been restarted by now: give it the time it
  // takes to handle a few more messages, then check that no actor restarted.
  auto aggregator_messages = [&] {
    return read_metric(service, "nimbus_actor_messages_total", {{"actor", "aggregator"}})
        .value_or(0);
  };
  double messages_before = aggregator_messages();
  ASSERT_TRUE(poll_until([&] { return aggregator_messages() >= messages_before + 20; }, 5s));
  auto exposition = e2e::http_get(service.url("/metrics")).body;
  for (const auto& series : read_series(exposition, "nimbus_actor_restarts_total")) {
    EXPECT_EQ(series.value, 0) << series.labels.at("actor")
                               << " restarted after kill requests on the public port";
  }

  // The same request on the admin port does kill: the check above can fail.
  auto admin_reply = service.kill("aggregator", "kill");
  EXPECT_EQ(admin_reply.status, 202) << admin_reply.body;
  EXPECT_TRUE(poll_until(
      [&] {
        return read_metric(service, "nimbus_actor_restarts_total",
                           {{"actor", "aggregator"}, {"reason", "kill"}})
                   .value_or(0) == 1;
      },
      3s));
}

TEST_F(AdminListener, ListensOnLoopbackWhenConfigured) {
  service_under_test service(settings_, farm_);
  ASSERT_TRUE(service.wait_until_listening()) << service.log_text();
  auto pid = find_child_process(NIMBUS_SERVICE_BINARY);
  ASSERT_TRUE(pid.has_value());

  // The service writes the port file after starting both listeners, so both are open by now.
  std::set<listening_socket> expected = {{loopback_hex, service.process().port()},
                                         {loopback_hex, service.admin_port()}};
  auto sockets = listening_sockets(*pid);
  EXPECT_EQ(sockets.size(), 2u) << describe(sockets);
  EXPECT_EQ(describe(sockets), describe(expected));

  auto unknown = service.kill("no_such_actor", "kill");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_NE(unknown.body.find("aggregator"), std::string::npos)
      << "the 404 should list the known actors: " << unknown.body;
  auto wrong_method = e2e::http_get("http://127.0.0.1:" + std::to_string(service.admin_port()) +
                                    "/admin/actors/aggregator/kill");
  EXPECT_EQ(wrong_method.status, 405) << wrong_method.body;
}

TEST_F(AdminListener, AbsentWithoutFlag) {
  service_under_test service(settings_, farm_, false);
  ASSERT_TRUE(service.wait_until_listening()) << service.log_text();
  auto pid = find_child_process(NIMBUS_SERVICE_BINARY);
  ASSERT_TRUE(pid.has_value());

  std::set<listening_socket> expected = {{loopback_hex, service.process().port()}};
  auto sockets = listening_sockets(*pid);
  EXPECT_EQ(describe(sockets), describe(expected))
      << "only the public port may listen without --admin-listen";
  EXPECT_EQ(service.log_text().find("admin listener enabled"), std::string::npos)
      << service.log_text();
}

}  // namespace
}  // namespace nimbus::faults
