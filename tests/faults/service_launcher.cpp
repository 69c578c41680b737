// Starts nimbus-signals so that the kernel kills it when the thread that started it exits, which
// for these tests is the test process's main thread. service_process spawns the binary without
// that link, so a test process killed by a timeout would leave the service running, polling
// simulators that no longer exist.
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cstdio>

int main(int argc, char** argv) {
  (void)argc;

  // The death signal survives execv. A parent that died before prctl left this process to init
  // (pid 1), and then no signal would ever come.
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() == 1) {
    std::perror("prctl(PR_SET_PDEATHSIG) failed or the parent already exited");
    return 125;
  }

  argv[0] = const_cast<char*>(NIMBUS_SERVICE_BINARY);
  execv(NIMBUS_SERVICE_BINARY, argv);
  std::perror("execv " NIMBUS_SERVICE_BINARY " failed");
  return 127;
}
