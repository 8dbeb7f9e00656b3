// Boost.Asio's compiled part, built once for the whole net layer (see asio.hpp).
#include "net/asio.hpp"

#include <boost/asio/impl/src.hpp>
