# Renders the agent's state and a cloud-init user-data for the two-machine tutorial: a backup server (rsync-41)
# and a source (nfs-31). Provider-agnostic: hand the outputs to your instances' user_data, e.g.
#   resource "aws_instance" "rsync_41" { user_data = local.backup_user_data ... }
# test-infra/ansible/run.sh renders these templates the way templatefile() does (render.py) and runs
# `agent validate` on the result, so a template that would produce an invalid state fails the build.
terraform {
  required_version = ">= 1.3"
}

variable "backup_address" {
  description = "Address of the backup server (rsync-41) as the source reaches it."
  type        = string
  default     = "172.16.1.41"
}

variable "source_network" {
  description = "Network the sources push from (the daemon's hosts allow)."
  type        = string
  default     = "172.16.1.0/24"
}

variable "rsync_port" {
  type    = number
  default = 873
}

variable "rsync_password" {
  description = "Password of the rsync_backup user; lands in a 0600 file on both hosts, never in the state."
  type        = string
  sensitive   = true
}

variable "agent_tarball_url" {
  description = "A tarball of `make install DESTDIR=dist PREFIX=` (bin/agent, lib/agent/agent.jar)."
  type        = string
}

locals {
  password_file = "/etc/agent/rsync_backup.password"

  backup_state = templatefile("${path.module}/backup.state.yaml.tftpl", {
    rsync_port     = var.rsync_port
    source_network = var.source_network
    password_file  = local.password_file
  })
  source_state = templatefile("${path.module}/source.state.yaml.tftpl", {
    rsync_port     = var.rsync_port
    backup_address = var.backup_address
    password_file  = local.password_file
  })

  user_data = { for host, state in { backup = local.backup_state, source = local.source_state } :
    host => templatefile("${path.module}/cloud-init.yaml.tftpl", {
      state_b64         = base64encode(state)
      password_b64      = base64encode(var.rsync_password)
      password_file     = local.password_file
      agent_tarball_url = var.agent_tarball_url
    })
  }
}

output "backup_user_data" {
  value     = local.user_data["backup"]
  sensitive = true
}

output "source_user_data" {
  value     = local.user_data["source"]
  sensitive = true
}
