/* snmp: softlbd's SNMP engine -- an AgentX subagent of the system's
 * snmpd, serving VRRP-MIB, VRRPv3-MIB, KEEPALIVED-MIB (the parts that
 * fit), LVS-MIB and SOFTLB-MIB from a snapshot of the engines' state
 * (types and internals in snmp_int.h). Only this folder links net-snmp.
 *
 * Configuration (keepalived dialect, global_defs): enable_snmp_vrrp,
 * enable_snmp_checker, enable_snmp_rfc / rfcv2 / rfcv3, enable_snmp_proxy,
 * enable_traps, snmp_socket. Read-only: a SET answers notWritable.
 */
#ifndef SOFTLB_SNMP_H
#define SOFTLB_SNMP_H

struct module_ops;

/* The module (listed in core/module.c). */
extern const struct module_ops snmp_module;

#endif
