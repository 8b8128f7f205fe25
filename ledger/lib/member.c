/*
 * member.c - member households, their people and shares
 *
 * SPDX-License-Identifier: MIT
 */
#include "internal.h"
