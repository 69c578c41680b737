#include "pipeline/quote.hpp"

namespace nimbus {

double quote::mid() const {
  if (bid && ask) {
    return (bid->to_double() + ask->to_double()) / 2.0;
  }
  return last ? last->to_double() : 0.0;
}

}  // namespace nimbus
