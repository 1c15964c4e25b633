#include <rdpwarden/storage/errors.hpp>
