package particlepolicy

import (
	"errors"
	"testing"
)

func TestTeamAddCountsMembersAndUpdatesARoleInPlace(t *testing.T) {
	team, err := NewTeam()
	if err != nil {
		t.Fatal(err)
	}
	defer team.Close()
	if team.Len() != 0 {
		t.Error(team.Len())
	}
	for _, m := range []struct {
		org, user string
		role      Role
	}{{"acme", "alice@acme.io", RoleDeveloper}, {"acme", "bob@acme.io", RoleSupport},
		{"other", "alice@acme.io", RoleOwner}, {"acme", "alice@acme.io", RoleOwner}} {
		if err := team.Add(m.org, m.user, m.role); err != nil {
			t.Fatal(err)
		}
	}
	if team.Len() != 3 {
		t.Errorf("%d members, want 3", team.Len())
	}
}

func TestTeamRefusesInvalidNamesAndRoles(t *testing.T) {
	team, _ := NewTeam()
	defer team.Close()
	for _, c := range []struct {
		org, user string
		role      Role
	}{{"", "alice", RoleOwner}, {"acme", "", RoleOwner}, {"acme", "a\nb", RoleOwner},
		{"acme", "alice", Role(42)}} {
		if err := team.Add(c.org, c.user, c.role); !errors.Is(err, CodeInvalidArgument) {
			t.Errorf("Add(%q, %q, %v) = %v", c.org, c.user, c.role, err)
		}
	}
	if team.Len() != 0 {
		t.Error(team.Len())
	}
}

func TestEveryRoleCountsAsTeamMembership(t *testing.T) {
	p := examplePolicy(t)
	for _, role := range Roles() {
		team, _ := NewTeam()
		_ = team.Add("brightwater", "zoe@partner.example", role)
		if d, _ := p.DecideWithTeam(team, newcomer("zoe@partner.example")); d.Reason != ReasonOwnerIsTeamMember {
			t.Errorf("%s: %v", role, d)
		}
		team.Close()
	}
}

func TestClosedTeamRefusesUse(t *testing.T) {
	p := examplePolicy(t)
	team, _ := NewTeam()
	if team.Close() != nil || team.Close() != nil {
		t.Error("Close returned an error")
	}
	if err := team.Add("acme", "a@x", RoleOwner); !errors.Is(err, ErrClosed) {
		t.Error(err)
	}
	if team.Len() != 0 {
		t.Error(team.Len())
	}
	d, err := p.DecideWithTeam(team, newcomer("zoe@partner.example"))
	if !errors.Is(err, ErrClosed) || d.Outcome != OutcomeDeny {
		t.Error(d, err)
	}
}
