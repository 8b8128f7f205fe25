/*
 * cmd_member.c - member add, list, import, share
 *
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"
