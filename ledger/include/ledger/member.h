/*
 * member.h - member households, their people and shares (成员与股权)
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_LEDGER_MEMBER_H
#define CUNJI_LEDGER_MEMBER_H

#endif
