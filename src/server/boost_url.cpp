// Boost.URL's compiled part, built here from Debian's libboost1.81-dev headers (the package
// ships no static library for it).
#include <boost/url/src.hpp>
