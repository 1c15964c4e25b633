#include <rdpwarden/server/app.hpp>

int main(int argc, char** argv) {
  return rdpwarden::server::run_cli(argc, argv);
}
