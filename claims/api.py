"""/api/v1/ for cover and claims: policies, providers, cover checks, pre-authorisations, claims and
one endpoint per claim transition."""

from decimal import Decimal

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from contactcentre.api import requires
from contactcentre.api_errors import ErrorSerializer
from contactcentre.http import client_ip
from customers.models import Customer

from . import api_examples as ex
from . import selectors, services
from .models import (
    BenefitCategory,
    Claim,
    ClaimLine,
    ClaimTransition,
    CoverCheck,
    Policy,
    PreAuthorisation,
    Provider,
)
from .wording import describe


def money_field(**kwargs) -> serializers.DecimalField:
    """A positive amount with pennies: '12.345', '-1' and 'lots' are refused naming the field."""
    return serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"), **kwargs)


def icd10_field() -> serializers.RegexField:
    return serializers.RegexField(
        r"^[A-Za-z][0-9][0-9A-Za-z](\.[0-9A-Za-z]{1,4})?$", required=False, default="", allow_blank=True
    )


class ProviderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Provider
        fields = ["id", "provider_number", "name", "kind", "town", "postcode", "recognised", "direct_settlement"]


@extend_schema_view(get=extend_schema(examples=[ex.response("Providers", ex.page(ex.PROVIDER))]))
class ProviderList(generics.ListAPIView):
    """Hospitals, clinics and consultants."""

    permission_classes = [requires("claims.view_provider")]
    queryset = Provider.objects.order_by("name")
    serializer_class = ProviderSerializer
    filterset_fields = ["kind", "recognised", "direct_settlement"]
    search_fields = ["name", "town", "provider_number"]


class PolicySerializer(serializers.ModelSerializer):
    plan = serializers.CharField(source="plan.code")
    members = serializers.SerializerMethodField()

    class Meta:
        model = Policy
        fields = [
            "id",
            "number",
            "plan",
            "holder",
            "corporate_account",
            "underwriting",
            "status",
            "start_date",
            "renewal_date",
            "members",
        ]

    def get_members(self, policy) -> list[dict]:
        return [
            {
                "customer": m.customer_id,
                "joined_on": m.joined_on,
                "covered_from": m.covered_from,
                "covered_to": m.covered_to,
            }
            for m in policy.members.all()
        ]


class PolicyFilter(django_filters.FilterSet):
    customer = django_filters.NumberFilter(field_name="members__customer_id")

    class Meta:
        model = Policy
        fields = ["customer", "status"]


@extend_schema_view(get=extend_schema(examples=[ex.response("Policies of a member", ex.page(ex.POLICY))]))
class PolicyList(generics.ListAPIView):
    permission_classes = [requires("claims.view_policy")]
    queryset = Policy.objects.select_related("plan").prefetch_related("members").order_by("number").distinct()
    serializer_class = PolicySerializer
    filterset_class = PolicyFilter


@extend_schema_view(get=extend_schema(examples=[ex.response("A policy", ex.POLICY)]))
class PolicyDetail(generics.RetrieveAPIView):
    permission_classes = [requires("claims.view_policy")]
    queryset = Policy.objects.select_related("plan").prefetch_related("members")
    serializer_class = PolicySerializer


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="A stable code: covered, waiting_period, excluded_condition, ...")
    text = serializers.CharField(help_text="The reason in plain words, in the caller's language (Accept-Language).")
    params = serializers.DictField(child=serializers.CharField())


@extend_schema_field(ReasonSerializer(many=True))
class ReasonField(serializers.Field):
    def to_representation(self, findings):
        return [
            {"code": f["reason"], "text": describe(f["reason"], f.get("params", {})), "params": f.get("params", {})}
            for f in findings
        ]


class CoverCheckSerializer(serializers.ModelSerializer):
    reasons = ReasonField(source="findings")

    class Meta:
        model = CoverCheck
        fields = [
            "id",
            "customer",
            "policy",
            "category",
            "procedure",
            "icd10",
            "provider",
            "treatment_date",
            "estimated_cost",
            "decision",
            "insurer_pays",
            "member_pays",
            "reasons",
            "checked_at",
        ]


class CoverCheckCreate(APIView):
    permission_classes = [requires("claims.add_covercheck")]

    class CoverCheckInput(serializers.Serializer):
        customer = serializers.IntegerField()
        category = serializers.ChoiceField(choices=BenefitCategory.choices)
        treatment_date = serializers.DateField()
        estimated_cost = money_field()
        provider = serializers.PrimaryKeyRelatedField(queryset=Provider.objects.all(), required=False, allow_null=True)
        procedure = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
        icd10 = icd10_field()

    @extend_schema(
        summary="Check cover: the decision with every reason",
        request=CoverCheckInput,
        responses={201: CoverCheckSerializer},
        examples=[
            OpenApiExample(
                "Request",
                request_only=True,
                value={
                    "customer": 42,
                    "category": "therapies",
                    "treatment_date": "2026-12-01",
                    "estimated_cost": "300.00",
                    "provider": 7,
                    "procedure": "Physiotherapy, 6 sessions",
                },
            ),
            OpenApiExample(
                "Refused for a waiting period",
                response_only=True,
                status_codes=["201"],
                value={
                    "id": 9,
                    "customer": 42,
                    "policy": 3,
                    "category": "therapies",
                    "procedure": "Physiotherapy",
                    "icd10": "",
                    "provider": 7,
                    "treatment_date": "2026-12-01",
                    "estimated_cost": "300.00",
                    "decision": "not_covered",
                    "insurer_pays": "0.00",
                    "member_pays": "300.00",
                    "reasons": [
                        {
                            "code": "waiting_period",
                            "params": {"ends": "2027-01-15", "days": "90"},
                            "text": "The 90-day waiting period for this benefit ends on 15 January 2027.",
                        }
                    ],
                    "checked_at": "2026-11-23T10:15:00Z",
                },
            ),
        ],
    )
    def post(self, request):
        data = self.CoverCheckInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        customer = get_object_or_404(Customer, pk=values.pop("customer"))
        check = services.cover_check_run(customer=customer, actor=request.user, **values)
        return Response(CoverCheckSerializer(check).data, status=status.HTTP_201_CREATED)


@extend_schema_view(get=extend_schema(examples=[ex.response("A cover check", ex.COVER_CHECK)]))
class CoverCheckDetail(generics.RetrieveAPIView):
    permission_classes = [requires("claims.view_covercheck")]
    queryset = CoverCheck.objects.all()
    serializer_class = CoverCheckSerializer


class PreAuthorisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = PreAuthorisation
        fields = [
            "id",
            "number",
            "cover_check",
            "customer",
            "policy",
            "provider",
            "category",
            "procedure",
            "amount",
            "valid_from",
            "valid_to",
            "status",
            "created_at",
        ]


@extend_schema_view(get=extend_schema(examples=[ex.response("Pre-authorisations", ex.page(ex.PRE_AUTHORISATION))]))
class PreAuthorisationListCreate(generics.ListAPIView):
    permission_classes = [requires("claims.view_preauthorisation")]
    queryset = PreAuthorisation.objects.order_by("-created_at")
    serializer_class = PreAuthorisationSerializer
    filterset_fields = ["customer", "status", "provider"]

    class PreAuthorisationInput(serializers.Serializer):
        cover_check = serializers.IntegerField()

    def get_permissions(self):
        if self.request.method == "POST":
            return [requires("claims.add_preauthorisation")()]
        return super().get_permissions()

    @extend_schema(
        summary="Turn a cover check that passed into a pre-authorisation",
        request=PreAuthorisationInput,
        responses={201: PreAuthorisationSerializer},
        examples=[ex.request("Request", {"cover_check": 9}), ex.response("Given", ex.PRE_AUTHORISATION, "201")],
    )
    def post(self, request):
        data = self.PreAuthorisationInput(data=request.data)
        data.is_valid(raise_exception=True)
        check = get_object_or_404(CoverCheck, pk=data.validated_data["cover_check"])
        authorisation = services.pre_authorisation_create(cover_check=check, actor=request.user)
        return Response(PreAuthorisationSerializer(authorisation).data, status=status.HTTP_201_CREATED)


@extend_schema_view(get=extend_schema(examples=[ex.response("A pre-authorisation", ex.PRE_AUTHORISATION)]))
class PreAuthorisationDetail(generics.RetrieveAPIView):
    permission_classes = [requires("claims.view_preauthorisation")]
    queryset = PreAuthorisation.objects.all()
    serializer_class = PreAuthorisationSerializer


class ClaimLineSerializer(serializers.ModelSerializer):
    reasons = ReasonField(source="findings", read_only=True)

    class Meta:
        model = ClaimLine
        fields = ["id", "category", "procedure", "icd10", "treatment_date", "amount", "approved_amount", "reasons"]


class TransitionSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.email")

    class Meta:
        model = ClaimTransition
        fields = ["from_status", "to_status", "actor", "at", "reason"]


class ClaimSerializer(serializers.ModelSerializer):
    lines = ClaimLineSerializer(many=True)
    transitions = TransitionSerializer(many=True)
    pre_authorisation = serializers.CharField(source="pre_authorisation.number", default=None)

    class Meta:
        model = Claim
        fields = [
            "id",
            "number",
            "customer",
            "policy",
            "provider",
            "pre_authorisation",
            "status",
            "received_on",
            "claimed_total",
            "approved_total",
            "excess_applied",
            "payee",
            "paid_on",
            "turnaround_working_days",
            "version",
            "lines",
            "transitions",
        ]


class ClaimListSerializer(serializers.ModelSerializer):
    class Meta:
        model = Claim
        fields = [
            "id",
            "number",
            "customer",
            "policy",
            "provider",
            "status",
            "received_on",
            "claimed_total",
            "approved_total",
            "paid_on",
            "version",
        ]


class ClaimFilter(django_filters.FilterSet):
    received_after = django_filters.DateFilter(field_name="received_on", lookup_expr="gte")
    received_before = django_filters.DateFilter(field_name="received_on", lookup_expr="lte")

    class Meta:
        model = Claim
        fields = ["status", "customer", "provider", "policy", "received_after", "received_before"]


class LineInputSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=BenefitCategory.choices)
    procedure = serializers.CharField(max_length=200)
    icd10 = icd10_field()
    treatment_date = serializers.DateField()
    amount = money_field()


@extend_schema_view(get=extend_schema(examples=[ex.response("Claims", ex.page(ex.CLAIM_SUMMARY))]))
class ClaimListCreate(generics.ListAPIView):
    permission_classes = [requires("claims.view_claim")]
    queryset = Claim.objects.order_by("-received_on", "-id")
    serializer_class = ClaimListSerializer
    filterset_class = ClaimFilter
    ordering_fields = ["received_on", "claimed_total"]

    class ClaimInput(serializers.Serializer):
        customer = serializers.IntegerField()
        provider = serializers.PrimaryKeyRelatedField(queryset=Provider.objects.all())
        received_on = serializers.DateField(required=False)
        lines = LineInputSerializer(many=True, allow_empty=False, max_length=50)

    def get_permissions(self):
        if self.request.method == "POST":
            return [requires("claims.add_claim")()]
        return super().get_permissions()

    @extend_schema(
        summary="Enter a claim with its invoice lines",
        request=ClaimInput,
        responses={201: ClaimSerializer},
        examples=[
            ex.response(
                "Entered",
                {
                    **ex.CLAIM,
                    "status": "received",
                    "approved_total": None,
                    "excess_applied": None,
                    "payee": "",
                    "version": 1,
                    "transitions": ex.CLAIM["transitions"][:1],
                },
                "201",
            ),
            OpenApiExample(
                "Request",
                request_only=True,
                value={
                    "customer": 42,
                    "provider": 7,
                    "received_on": "2026-11-23",
                    "lines": [
                        {
                            "category": "outpatient",
                            "procedure": "Consultation",
                            "icd10": "M25.5",
                            "treatment_date": "2026-11-20",
                            "amount": "180.00",
                        }
                    ],
                },
            ),
        ],
    )
    def post(self, request):
        data = self.ClaimInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        customer = get_object_or_404(Customer, pk=values["customer"])
        claim = services.claim_create(
            customer=customer,
            provider=values["provider"],
            actor=request.user,
            received_on=values.get("received_on"),
            lines=[services.LineInput(**line) for line in values["lines"]],
        )
        return Response(ClaimSerializer(selectors.claim_detail(claim.pk)).data, status=status.HTTP_201_CREATED)


@extend_schema_view(get=extend_schema(examples=[ex.response("A claim with its lines and history", ex.CLAIM)]))
class ClaimDetail(generics.RetrieveAPIView):
    permission_classes = [requires("claims.view_claim")]
    serializer_class = ClaimSerializer

    def get_object(self):
        claim = selectors.claim_detail(self.kwargs["pk"])
        services.claim_record_viewed(
            claim=claim, actor=self.request.user, ip_address=client_ip(self.request), via="api"
        )
        return claim


class TransitionInput(serializers.Serializer):
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="The version you last read: a claim changed since is refused (409)."
    )
    reason = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)


def transition_view(name: str, summary: str) -> type[APIView]:
    class ClaimTransitionApi(APIView):
        permission_classes = [requires(services.CLAIM_ACTIONS[name][0])]

        @extend_schema(
            summary=summary,
            request=TransitionInput,
            responses={200: ClaimSerializer, 409: ErrorSerializer},
            operation_id=f"claims_{name.replace('-', '_')}",
            examples=[
                ex.request("Request", {"version": 2, "reason": ""}),
                ex.response("The claim after the move", ex.CLAIM),
                ex.response("Refused: not allowed from the current state", ex.REFUSED, "409"),
            ],
        )
        def post(self, request, pk: int):
            get_object_or_404(Claim, pk=pk)
            data = TransitionInput(data=request.data)
            data.is_valid(raise_exception=True)
            services.claim_act(
                claim_id=pk,
                action=name,
                actor=request.user,
                expected_version=data.validated_data.get("version"),
                reason=data.validated_data["reason"],
            )
            return Response(ClaimSerializer(selectors.claim_detail(pk)).data)

    ClaimTransitionApi.__name__ = f"Claim{name.title().replace('-', '')}Api"
    return ClaimTransitionApi


CLAIM_TRANSITION_ENDPOINTS = [
    ("start", "Start assessing a received claim"),
    ("request-information", "Ask for more information"),
    ("resume", "Information received: resume assessing"),
    ("assess", "Settle and decide: approved, partly approved or rejected"),
    ("reject", "Reject the claim"),
    ("schedule-payment", "Schedule the payment"),
    ("pay", "Pay the claim (exactly once)"),
    ("withdraw", "Withdraw the claim"),
]
