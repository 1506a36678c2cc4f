package taxonomy

// Organisation types of members and registrants, as CONTRACT.md fixes them.
const (
	OrgGovernment       = "government"
	OrgNGO              = "ngo"
	OrgAcademia         = "academia"
	OrgUNAgency         = "un_agency"
	OrgInternationalOrg = "international_org"
	OrgPrivateSector    = "private_sector"
	OrgDonor            = "donor"
	OrgMedia            = "media"
	OrgOther            = "other"
)

var organizationTypes = []string{
	OrgGovernment, OrgNGO, OrgAcademia, OrgUNAgency, OrgInternationalOrg,
	OrgPrivateSector, OrgDonor, OrgMedia, OrgOther,
}

// OrganizationTypes returns the organisation types in the contract's order.
func OrganizationTypes() []string {
	return append([]string(nil), organizationTypes...)
}

// ValidOrganizationType reports whether s is exactly one of the
// organisation types.
func ValidOrganizationType(s string) bool {
	for _, t := range organizationTypes {
		if s == t {
			return true
		}
	}
	return false
}
