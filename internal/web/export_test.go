package web

import "golang.org/x/crypto/bcrypt"

// Tests sign in dozens of times; bcrypt's lowest cost keeps them fast.
func init() { passwordCost = bcrypt.MinCost }
