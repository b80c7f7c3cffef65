"""/api/v1/customers/: member search (including the screen-pop by phone number), a member's record
(every read audited) and their household."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from contactcentre.api import requires, requires_any
from contactcentre.http import client_ip

from . import selectors, services
from .models import Customer, CustomerPhone, CustomerStatus

CanReadMembers = requires("customers.view_customer")


class CustomerSummarySerializer(serializers.Serializer):
    """Declared field by field rather than read off the model: it is on the screen-pop's hot path."""

    id = serializers.IntegerField()
    membership_number = serializers.CharField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    first_name_ar = serializers.CharField()
    last_name_ar = serializers.CharField()
    date_of_birth = serializers.DateField()
    postcode = serializers.CharField()
    status = serializers.ChoiceField(choices=CustomerStatus.choices)
    is_vulnerable = serializers.BooleanField()


class SearchResultSerializer(serializers.Serializer):
    customer = CustomerSummarySerializer()
    score = serializers.FloatField()
    matched_on = serializers.ChoiceField(choices=["membership_number", "phone", "name", "date_of_birth", "postcode"])


class CustomerSearchApi(APIView):
    # The telephony platform may search (the screen-pop) but not read members' records.
    permission_classes = [requires_any("customers.view_customer", "customers.lookup_customer")]

    class SearchInput(serializers.Serializer):
        q = serializers.CharField(max_length=100)
        limit = serializers.IntegerField(min_value=1, max_value=50, default=20)

    @extend_schema(
        summary="Search members",
        parameters=[
            OpenApiParameter(
                "q",
                OpenApiTypes.STR,
                required=True,
                description="Membership number, phone number in any format, name, date of "
                "birth (dd/mm/yyyy), postcode, or a name with either.",
            ),
            OpenApiParameter("limit", OpenApiTypes.INT),
        ],
        responses=SearchResultSerializer(many=True),
        examples=[
            OpenApiExample(
                "Screen-pop by phone",
                value=[
                    {
                        "customer": {
                            "id": 42,
                            "membership_number": "100000424",
                            "first_name": "Amira",
                            "last_name": "Haddad",
                            "first_name_ar": "أميرة",
                            "last_name_ar": "حداد",
                            "date_of_birth": "1962-03-14",
                            "postcode": "TW18 3HA",
                            "status": "active",
                            "is_vulnerable": False,
                        },
                        "score": 0.95,
                        "matched_on": "phone",
                    }
                ],
                response_only=True,
            )
        ],
    )
    def get(self, request):
        params = self.SearchInput(data=request.query_params)
        params.is_valid(raise_exception=True)
        results = selectors.customer_search(params.validated_data["q"], limit=params.validated_data["limit"])
        return Response(SearchResultSerializer(results, many=True).data)


class PhoneSerializer(serializers.ModelSerializer):
    number = serializers.CharField(source="number.as_e164")

    class Meta:
        model = CustomerPhone
        fields = ["kind", "number", "is_primary"]


class CustomerDetailSerializer(serializers.ModelSerializer):
    phones = PhoneSerializer(many=True)
    corporate_account = serializers.CharField(source="corporate_account.name", default=None)

    class Meta:
        model = Customer
        fields = [
            "id",
            "membership_number",
            "first_name",
            "last_name",
            "first_name_ar",
            "last_name_ar",
            "date_of_birth",
            "email",
            "address_line_1",
            "address_line_2",
            "town",
            "postcode",
            "preferred_language",
            "preferred_channel",
            "consent_marketing",
            "consent_research",
            "consent_sms",
            "status",
            "is_vulnerable",
            "vulnerability_category",
            "vulnerability_note",
            "corporate_account",
            "phones",
        ]


MEMBER_EXAMPLE = {
    "id": 42,
    "membership_number": "100000424",
    "first_name": "Amira",
    "last_name": "Haddad",
    "first_name_ar": "أميرة",
    "last_name_ar": "حداد",
    "date_of_birth": "1962-03-14",
    "email": "amira@example.com",
    "address_line_1": "1 Station Road",
    "address_line_2": "",
    "town": "Staines-upon-Thames",
    "postcode": "TW18 3HA",
    "preferred_language": "ar",
    "preferred_channel": "phone",
    "consent_marketing": False,
    "consent_research": True,
    "consent_sms": True,
    "status": "active",
    "is_vulnerable": True,
    "vulnerability_category": "bereavement",
    "vulnerability_note": "Partner died recently; speak gently.",
    "corporate_account": None,
    "phones": [{"kind": "mobile", "number": "+447700900321", "is_primary": True}],
}


SUMMARY_FIELDS = [
    "id",
    "membership_number",
    "first_name",
    "last_name",
    "first_name_ar",
    "last_name_ar",
    "date_of_birth",
    "postcode",
    "status",
    "is_vulnerable",
]


class CustomerDetailApi(APIView):
    permission_classes = [CanReadMembers]

    @extend_schema(
        summary="A member's record (the read is audited)",
        responses=CustomerDetailSerializer,
        examples=[OpenApiExample("A member", response_only=True, value=MEMBER_EXAMPLE)],
    )
    def get(self, request, pk: int):
        customer = selectors.customer_get(pk)
        services.customer_record_viewed(customer=customer, actor=request.user, ip_address=client_ip(request), via="api")
        return Response(CustomerDetailSerializer(customer).data)


class HouseholdMemberSerializer(serializers.Serializer):
    customer = CustomerSummarySerializer()
    relationship = serializers.CharField()


class CustomerHouseholdApi(APIView):
    permission_classes = [CanReadMembers]

    @extend_schema(
        summary="The member's household: holder and dependants",
        responses=HouseholdMemberSerializer(many=True),
        examples=[
            OpenApiExample(
                "A couple",
                response_only=True,
                value=[
                    {"customer": {k: MEMBER_EXAMPLE[k] for k in SUMMARY_FIELDS}, "relationship": "holder"},
                    {
                        "customer": {
                            **{k: MEMBER_EXAMPLE[k] for k in SUMMARY_FIELDS},
                            "id": 43,
                            "first_name": "Omar",
                            "first_name_ar": "عمر",
                            "membership_number": "100000432",
                            "is_vulnerable": False,
                        },
                        "relationship": "partner",
                    },
                ],
            )
        ],
    )
    def get(self, request, pk: int):
        customer = selectors.customer_get(pk)
        return Response(HouseholdMemberSerializer(selectors.household_of(customer), many=True).data)
