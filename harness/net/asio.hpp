// Internal to harness/net: the one place Boost.Asio is included. Asio is compiled once, in
// asio_impl.cpp (BOOST_ASIO_SEPARATE_COMPILATION), so the other translation units that need it
// (connection_driver.cpp, listener.cpp, runtime.cpp) only parse declarations. No public header
// of the net layer includes this file.
#pragma once

#ifndef BOOST_ASIO_SEPARATE_COMPILATION
#define BOOST_ASIO_SEPARATE_COMPILATION
#endif

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>

namespace mailtls::net::detail {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using strand = asio::strand<asio::io_context::executor_type>;

}  // namespace mailtls::net::detail
