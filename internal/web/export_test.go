package web

import "golang.org/x/crypto/bcrypt"

// Tests sign in dozens of times; bcrypt's lowest cost keeps them fast. The
// cost of real hashes is checked by TestPasswordHashCost.
func init() { passwordCost = bcrypt.MinCost }

// DefaultPasswordCost is the cost production hashes use.
const DefaultPasswordCost = bcrypt.DefaultCost
