/* rc-test-monitor.h: accounts, a monitor and the simulator, for tests
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rc-monitor.h"
#include "rc-sim.h"

G_BEGIN_DECLS

#define RC_TEST_MONITOR_TIMEOUT 30

/* The simulator, an account store in a folder of its own, the test
 * session's keyring and a monitor over them. */
typedef struct
{
  RcSim          *sim;
  char           *root;         /* the simulator, without a trailing slash */
  char           *dir;
  RcAccountStore *accounts;
  RcSecretStore  *secrets;
  RcMonitor      *monitor;
  GPtrArray      *account_ids;  /* their keyring items go at the end */
} RcTestMonitor;

RcTestMonitor *rc_test_monitor_new          (const char    *name);
void           rc_test_monitor_free         (RcTestMonitor *self);
RcAccount     *rc_test_monitor_add_account  (RcTestMonitor *self,
                                             const char    *provider);
void           rc_test_monitor_sign_in      (RcTestMonitor *self,
                                             RcAccount     *account);
void           rc_test_monitor_wait_checked (RcTestMonitor *self,
                                             RcAccount     *account);
void           rc_test_monitor_check        (RcTestMonitor *self,
                                             RcAccount     *account);
RcTokenSet    *rc_test_device_sign_in       (RcSim         *sim,
                                             RcProvider    *provider);

G_END_DECLS
