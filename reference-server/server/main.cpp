// mailtls-server: see docs/server.md.
#include <iostream>

#include "server/cli.hpp"

int main(int argc, char** argv) {
  return mailtls::server::app::run(argc, argv, std::cout, std::cerr);
}
